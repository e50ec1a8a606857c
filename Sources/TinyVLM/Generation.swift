import Compute
#if canImport(Glibc)
import Glibc
#endif

/// What to generate for one sequence.
public struct GenerationRequest: Sendable {
    /// (P, 3·p·p) patch features of the image.
    public var patches: [Float]
    public var prompt: [Int32]
    public var maxNewTokens: Int
    /// Constrained decoding: given the tokens generated so far, the tokens allowed next (nil: any).
    public var allowed: (@Sendable ([Int32]) -> [Int32]?)?
    /// This sequence's generator seed; nil: derived from the call's seed and the sequence's index
    /// (`SamplingOptions.sequenceSeed`). A server batching several clients' requests gives each its own.
    public var seed: UInt64?

    public init(patches: [Float], prompt: [Int32], maxNewTokens: Int, allowed: (@Sendable ([Int32]) -> [Int32]?)? = nil,
                seed: UInt64? = nil) {
        self.patches = patches
        self.prompt = prompt
        self.maxNewTokens = maxNewTokens
        self.allowed = allowed
        self.seed = seed
    }
}

public struct SamplingOptions: Sendable {
    /// 0 means greedy decoding.
    public var temperature: Float
    public var topK: Int
    public var topP: Float
    public var seed: UInt64
    /// Generation stops after one of these (it is not returned).
    public var stop: Set<Int32>

    /// The generator seed of sequence `index` of a call with `seed`.
    public static func sequenceSeed(_ seed: UInt64, index: Int) -> UInt64 { seed &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D }

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, seed: UInt64 = 0, stop: Set<Int32> = []) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.stop = stop
    }
}

extension Model {
    /// Batched generation with a key/value cache. The requests are split into one contiguous share per
    /// thread, and each share into groups of `sequencesPerDecoder` that run to completion one after
    /// another on a `SequenceDecoder` (prompts of equal length prefilled together, then one token per
    /// unfinished sequence per step, the weights packed once for all steps). Sequence i samples from its
    /// own generator seeded by (seed, i) — or by its request's own `seed` — and its arithmetic involves no
    /// other row, so its output depends neither on the batch or group it is in nor on the thread count.
    public func generate(_ requests: [GenerationRequest], options: SamplingOptions) -> [[Int32]] {
        guard !requests.isEmpty else { return [] }
        let weights = InferenceWeights(self)
        let parts = max(1, min(threads, requests.count)), group = sequencesPerDecoder
        var outputs = [[Int32]](repeating: [], count: requests.count)
        outputs.withUnsafeMutableBufferPointer { buffer in
            let shared = UncheckedBox(buffer)
            parallelFor(parts, threads: parts) { part in
                let share = (requests.count * part / parts)..<(requests.count * (part + 1) / parts)
                for start in Swift.stride(from: share.lowerBound, to: share.upperBound, by: group) {
                    let members = start..<min(start + group, share.upperBound)
                    for (i, out) in zip(members, decode(requests, members, weights: weights, options: options)) { shared.value[i] = out }
                }
            }
        }
        return outputs
    }

    /// How many sequences one decoder runs at a time: as many as keep its key/value cache within
    /// `decoderCacheBytes`, and at least 16 (a decoding step's products then still fill 6 + 6 + 4-row
    /// tiles). Every step reads each sequence's whole cache; a thread's share of a few thousand samples
    /// read hundreds of megabytes per step from memory, where a group's stays in the core's caches
    /// (2,048 sequences per thread, d 64, 2 layers: 138k → 261–266k tok/s; docs/PERFORMANCE.md).
    var sequencesPerDecoder: Int {
        max(16, decoderCacheBytes / (KVCache.floatsPerSequence(config) * MemoryLayout<Float>.stride))
    }

    /// One thread's share of `generate`: requests[share] on one decoder.
    private func decode(_ requests: [GenerationRequest], _ share: Range<Int>, weights: InferenceWeights,
                        options: SamplingOptions) -> [[Int32]] {
        let decoder = SequenceDecoder(config: config, weights: weights, sequences: share.count, pool: cachePool)
        defer { cachePool.give(decoder.cache.storage) }
        var outputs = [[Int32]](repeating: [], count: share.count)
        var rngs = share.map { SeededRandom(seed: requests[$0].seed ?? SamplingOptions.sequenceSeed(options.seed, index: $0)) }
        let request = { (s: Int) in requests[share.lowerBound + s] }
        // Samples each listed sequence's next token from the decoder's logits (row k for sequences[k]) and
        // returns the (sequence, token) pairs that go on.
        func sampleNext(_ sequences: [Int]) -> [(Int, Int32)] {
            var next: [(Int, Int32)] = []
            for (k, s) in sequences.enumerated() {
                let row = UnsafeBufferPointer(start: decoder.logits.pointer + k * config.vocab, count: config.vocab)
                let token = sample(row, allowed: request(s).allowed?(outputs[s]), options: options, rng: &rngs[s])
                if options.stop.contains(token) { continue }
                outputs[s].append(token)
                if outputs[s].count < request(s).maxNewTokens && decoder.cache.length[s] < config.positions { next.append((s, token)) }
            }
            return next
        }
        let startable = (0..<share.count).filter {
            config.patches + request($0).prompt.count < config.positions && request($0).maxNewTokens > 0
        }
        var pending: [(Int, Int32)] = []
        for (_, members) in Dictionary(grouping: startable, by: { request($0).prompt.count }).sorted(by: { $0.key < $1.key }) {
            decoder.prefill(members, patches: members.map { request($0).patches }, prompts: members.map { request($0).prompt })
            pending += sampleNext(members)
        }
        pending.sort { $0.0 < $1.0 }
        while !pending.isEmpty {
            let sequences = pending.map(\.0)
            decoder.advance(sequences, tokens: pending.map(\.1))
            pending = sampleNext(sequences)
        }
        return outputs
    }

    func sample(_ logits: UnsafeBufferPointer<Float>, allowed: [Int32]?, options: SamplingOptions, rng: inout SeededRandom) -> Int32 {
        if options.temperature <= 0 && allowed == nil {
            var best = 0
            for i in 1..<logits.count where logits[i] > logits[best] { best = i }
            return Int32(best)
        }
        var candidates: [(Int32, Float)] = allowed.map { $0.map { ($0, logits[Int($0)]) } } ?? logits.enumerated().map { (Int32($0), $1) }
        if candidates.isEmpty { candidates = logits.enumerated().map { (Int32($0), $1) } }
        if options.temperature <= 0 {
            return candidates.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }!.0
        }
        candidates.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        if options.topK > 0 { candidates = Array(candidates.prefix(options.topK)) }
        let top = candidates[0].1
        var weights = candidates.map { expf(($0.1 - top) / options.temperature) }
        let total = weights.reduce(0, +)
        if options.topP < 1 {
            var cumulative: Float = 0, keep = 0
            for w in weights { cumulative += w / total; keep += 1; if cumulative >= options.topP { break } }
            weights = Array(weights.prefix(keep))
            candidates = Array(candidates.prefix(keep))
        }
        var x = rng.unit() * weights.reduce(0, +)
        for (k, w) in weights.enumerated() {
            x -= w
            if x < 0 { return candidates[k].0 }
        }
        return candidates[weights.count - 1].0
    }
}

