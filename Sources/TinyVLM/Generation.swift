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

    public init(patches: [Float], prompt: [Int32], maxNewTokens: Int, allowed: (@Sendable ([Int32]) -> [Int32]?)? = nil) {
        self.patches = patches
        self.prompt = prompt
        self.maxNewTokens = maxNewTokens
        self.allowed = allowed
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

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, seed: UInt64 = 0, stop: Set<Int32> = []) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.stop = stop
    }
}

extension Model {
    /// Batched generation with a key/value cache. Each sequence is prefilled on its own (prompts differ
    /// in length), then all unfinished sequences advance one token per step with their projections batched
    /// into single GEMMs. Sequence i samples from its own generator seeded by (seed, i), so its output does
    /// not depend on the batch it is in or the thread count.
    public func generate(_ requests: [GenerationRequest], options: SamplingOptions) -> [[Int32]] {
        let cache = KVCache(config: config, sequences: requests.count)
        var outputs = [[Int32]](repeating: [], count: requests.count)
        var rngs = requests.indices.map { SeededRandom(seed: options.seed &+ UInt64($0) &* 0x2545_F491_4F6C_DD1D) }
        var nextLogits = [[Float]](repeating: [], count: requests.count)
        // Prefill sequences with equal prompt lengths together: one pass, batched GEMMs.
        let groups = Dictionary(grouping: requests.indices.filter { config.patches + requests[$0].prompt.count < config.positions },
                                by: { requests[$0].prompt.count })
        for length in groups.keys.sorted() {
            let members = groups[length]!
            let rows = config.patches + length
            var x: [Float] = []
            x.reserveCapacity(members.count * rows * config.d)
            for i in members { x += embed(patches: requests[i].patches, tokens: requests[i].prompt, start: 0) }
            let logits = decoderStep(x: x, rows: members.flatMap { i in (0..<rows).map { (i, $0) } }, cache: cache)
            for (k, i) in members.enumerated() {
                nextLogits[i] = logits[k]
                cache.length[i] = rows
            }
        }
        var active = requests.indices.filter { !nextLogits[$0].isEmpty && requests[$0].maxNewTokens > 0 }
        while !active.isEmpty {
            var tokens: [Int32] = []
            var still: [Int] = []
            for i in active {
                let token = sample(nextLogits[i], allowed: requests[i].allowed?(outputs[i]), options: options, rng: &rngs[i])
                if options.stop.contains(token) { continue }
                outputs[i].append(token)
                if outputs[i].count >= requests[i].maxNewTokens || cache.length[i] >= config.positions { continue }
                tokens.append(token)
                still.append(i)
            }
            guard !still.isEmpty else { break }
            let x = embedTokens(tokens, positions: still.map { cache.length[$0] })
            let logits = decoderStep(x: x, rows: still.map { ($0, cache.length[$0]) }, cache: cache)
            for (k, i) in still.enumerated() {
                nextLogits[i] = logits[k]
                cache.length[i] += 1
            }
            active = still
        }
        return outputs
    }

    /// (rows, d) embeddings of patches then tokens, positions from `start`.
    func embed(patches: [Float], tokens: [Int32], start: Int) -> [Float] {
        let d = config.d, P = config.patches
        var x = [Float](repeating: 0, count: (P + tokens.count) * d)
        x.withUnsafeMutableBufferPointer { xp in
            patches.withUnsafeBufferPointer { pp in
                linearForward(out: xp.baseAddress!, inp: pp.baseAddress!, weight: p("vis.weight"), bias: p("vis.bias"),
                              n: P, c: config.patchFeatures, oc: d, threads: 1)
            }
            let tok = p("tok.weight"), pos = p("pos.weight")
            for r in 0..<(P + tokens.count) {
                let row = xp.baseAddress! + r * d, pr = pos + (start + r) * d
                if r >= P {
                    let e = tok + Int(tokens[r - P]) * d
                    for j in 0..<d { row[j] = e[j] + pr[j] }
                } else {
                    for j in 0..<d { row[j] += pr[j] }
                }
            }
        }
        return x
    }

    func embedTokens(_ tokens: [Int32], positions: [Int]) -> [Float] {
        let d = config.d
        var x = [Float](repeating: 0, count: tokens.count * d)
        let tok = p("tok.weight"), pos = p("pos.weight")
        for (r, t) in tokens.enumerated() {
            for j in 0..<d { x[r * d + j] = tok[Int(t) * d + j] + pos[positions[r] * d + j] }
        }
        return x
    }

    /// Runs `rows` new positions (sequence, position) through every block, appending their keys and
    /// values to the cache; returns the logits of each row.
    func decoderStep(x input: [Float], rows: [(sequence: Int, position: Int)], cache: KVCache) -> [[Float]] {
        let c = config, d = c.d, R = rows.count, hs = d / c.heads
        var x = input
        var ln = [Float](repeating: 0, count: R * d), mean = [Float](repeating: 0, count: R), rstd = mean
        var qkv = [Float](repeating: 0, count: R * 3 * d), y = [Float](repeating: 0, count: R * d)
        var h = [Float](repeating: 0, count: R * 4 * d), hg = h, tmp = [Float](repeating: 0, count: R * d)
        let prefix = attentionPrefix
        let scale = 1 / Float(hs).squareRoot()
        for l in 0..<c.layers {
            let pre = "blocks.\(l)."
            layerNormForward(out: &ln, mean: &mean, rstd: &rstd, inp: x, weight: p(pre + "ln1.weight"), bias: p(pre + "ln1.bias"), n: R, c: d)
            linearForward(out: &qkv, inp: ln, weight: p(pre + "qkv.weight"), bias: p(pre + "qkv.bias"), n: R, c: d, oc: 3 * d, threads: threads)
            for (r, row) in rows.enumerated() {
                let k = cache.keys(layer: l, sequence: row.sequence) + row.position * d
                let v = cache.values(layer: l, sequence: row.sequence) + row.position * d
                for j in 0..<d { k[j] = qkv[r * 3 * d + d + j]; v[j] = qkv[r * 3 * d + 2 * d + j] }
            }
            var scores = [Float](repeating: 0, count: c.positions)
            for (r, row) in rows.enumerated() {
                let keys = cache.keys(layer: l, sequence: row.sequence), values = cache.values(layer: l, sequence: row.sequence)
                let visible = max(row.position + 1, prefix)
                for head in 0..<c.heads {
                    let q = r * 3 * d + head * hs
                    var maxScore = -Float.infinity
                    qkv.withUnsafeBufferPointer { qb in
                        let qp = qb.baseAddress! + q
                        for s in 0..<visible {
                            scores[s] = dot(qp, keys + s * d + head * hs, hs) * scale
                            maxScore = max(maxScore, scores[s])
                        }
                    }
                    var sum: Float = 0
                    scores.withUnsafeMutableBufferPointer { sb in expShifted(out: sb.baseAddress!, inp: sb.baseAddress!, count: visible, shift: maxScore) }
                    for s in 0..<visible { sum += scores[s] }
                    y.withUnsafeMutableBufferPointer { yb in
                        let out = yb.baseAddress! + r * d + head * hs
                        out.update(repeating: 0, count: hs)
                        for s in 0..<visible { axpy(scores[s] / sum, values + s * d + head * hs, out, hs) }
                    }
                }
            }
            linearForward(out: &tmp, inp: y, weight: p(pre + "proj.weight"), bias: p(pre + "proj.bias"), n: R, c: d, oc: d, threads: threads)
            for i in 0..<(R * d) { x[i] += tmp[i] }
            layerNormForward(out: &ln, mean: &mean, rstd: &rstd, inp: x, weight: p(pre + "ln2.weight"), bias: p(pre + "ln2.bias"), n: R, c: d)
            linearForward(out: &h, inp: ln, weight: p(pre + "fc.weight"), bias: p(pre + "fc.bias"), n: R, c: d, oc: 4 * d, threads: threads)
            geluForward(out: &hg, inp: h, count: R * 4 * d)
            linearForward(out: &tmp, inp: hg, weight: p(pre + "out.weight"), bias: p(pre + "out.bias"), n: R, c: 4 * d, oc: d, threads: threads)
            for i in 0..<(R * d) { x[i] += tmp[i] }
        }
        // Only rows that predict a next token need logits: the last row of each sequence in this step.
        var last: [Int] = []
        for (r, row) in rows.enumerated() where r + 1 == R || rows[r + 1].sequence != row.sequence { last.append(r) }
        var lastX = [Float](repeating: 0, count: last.count * d)
        for (k, r) in last.enumerated() { for j in 0..<d { lastX[k * d + j] = x[r * d + j] } }
        var lnLast = [Float](repeating: 0, count: last.count * d), m2 = [Float](repeating: 0, count: last.count), r2 = m2
        layerNormForward(out: &lnLast, mean: &m2, rstd: &r2, inp: lastX, weight: p("ln.weight"), bias: p("ln.bias"), n: last.count, c: d)
        var logits = [Float](repeating: 0, count: last.count * c.vocab)
        linearForward(out: &logits, inp: lnLast, weight: p("tok.weight"), bias: nil, n: last.count, c: d, oc: c.vocab, threads: threads)
        return (0..<last.count).map { Array(logits[($0 * c.vocab)..<(($0 + 1) * c.vocab)]) }
    }

    func sample(_ logits: [Float], allowed: [Int32]?, options: SamplingOptions, rng: inout SeededRandom) -> Int32 {
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

/// Keys and values of every layer for every sequence: (layers, sequences, positions, d).
final class KVCache {
    let storage: Buffer
    let layers: Int, sequences: Int, positions: Int, d: Int
    var length: [Int]

    init(config: ModelConfig, sequences: Int) {
        layers = config.layers
        self.sequences = sequences
        positions = config.positions
        d = config.d
        storage = Buffer(2 * layers * sequences * positions * d)
        length = Array(repeating: 0, count: sequences)
    }

    func keys(layer: Int, sequence: Int) -> UnsafeMutablePointer<Float> {
        storage.pointer + ((layer * sequences + sequence) * positions) * d
    }

    func values(layer: Int, sequence: Int) -> UnsafeMutablePointer<Float> {
        storage.pointer + ((layers * sequences + layer * sequences + sequence) * positions) * d
    }
}

/// Σ a[i]·b[i] over n floats, eight lanes at a time (fixed order, so deterministic).
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= n {
        acc = acc.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                                rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
        i += 8
    }
    var total = acc.sum()
    while i < n { total += a[i] * b[i]; i += 1 }
    return total
}

/// y[i] += alpha·x[i] over n floats.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    let a = SIMD8<Float>(repeating: alpha)
    while i + 8 <= n {
        let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            .addingProduct(a, rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
        ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}
