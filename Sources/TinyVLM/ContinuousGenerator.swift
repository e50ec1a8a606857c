import Compute

/// Generation that takes new sequences while others decode (continuous batching, as vLLM serves): a
/// sequence joins at the next step after it is started and leaves as soon as it ends, so a server keeps
/// its slots busy instead of waiting for a batch's longest answer. One `SequenceDecoder` with `slots`
/// slots, run on the calling thread (a server runs one generator per thread, with no step-by-step
/// synchronisation between them); `step` prefills the sequences started since the last step, gives every
/// running sequence one token, and returns the sequences that ended. The weights are packed once, when the
/// generator is made (the model's weights must not change while it lives).
///
/// A sequence samples exactly what `Model.generate` gives it for the same request, seed and sampling
/// options: its rows' arithmetic involves no other sequence, and its generator is seeded by its own seed.
/// Not thread-safe: one caller drives it.
public final class ContinuousGenerator {
    public let model: Model
    /// How many sequences may run at once.
    public let slots: Int
    private let decoder: SequenceDecoder

    struct Sequence {
        var tag: Int
        var request: GenerationRequest
        var options: SamplingOptions
        var rng: SeededRandom
        var output: [Int32] = []
        /// The token to feed at the next step (nil: not prefilled yet).
        var pending: Int32?
    }

    /// Per slot: the sequence there.
    private var running: [Sequence?]
    public private(set) var active = 0
    public var free: Int { slots - active }

    /// `slots` defaults to as many sequences as one `generate` decoder runs (`sequencesPerDecoder`).
    public init(model: Model, slots: Int? = nil) {
        self.model = model
        self.slots = max(1, slots ?? model.sequencesPerDecoder)
        decoder = SequenceDecoder(config: model.config, weights: InferenceWeights(model), sequences: self.slots, pool: model.cachePool)
        running = Array(repeating: nil, count: self.slots)
    }

    deinit { model.cachePool.give(decoder.cache.storage) }

    /// Starts a sequence in a free slot, to be prefilled at the next `step`; it samples from a generator
    /// seeded by `request.seed`, or by `options.seed` when that is nil. Returns false when every slot is
    /// taken. A request that cannot produce a token (an empty budget, or a prompt that fills the context)
    /// ends at the next step with no tokens, as `generate` gives it.
    @discardableResult
    public func start(_ request: GenerationRequest, options: SamplingOptions, tag: Int) -> Bool {
        guard let slot = running.firstIndex(where: { $0 == nil }) else { return false }
        running[slot] = Sequence(tag: tag, request: request, options: options, rng: SeededRandom(seed: request.seed ?? options.seed))
        active += 1
        return true
    }

    /// One step: the running sequences each take one more token, and the sequences started since the last
    /// step are prefilled and sample their first; returns (tag, tokens) of every sequence that ended.
    public func step() -> [(tag: Int, tokens: [Int32])] {
        let config = model.config
        var ended: [(tag: Int, tokens: [Int32])] = []
        func end(_ s: Int) {
            ended.append((running[s]!.tag, running[s]!.output))
            running[s] = nil
            active -= 1
        }
        // Samples the next token of each listed slot from logits row k; a sequence that ends leaves its slot.
        func sampleNext(_ members: [Int]) {
            for (k, s) in members.enumerated() {
                let row = UnsafeBufferPointer(start: decoder.logits.pointer + k * config.vocab, count: config.vocab)
                let allowed = running[s]!.request.allowed?(running[s]!.output)
                let token = model.sample(row, allowed: allowed, options: running[s]!.options, rng: &running[s]!.rng)
                guard !running[s]!.options.stop.contains(token) else { end(s); continue }
                running[s]!.output.append(token)
                running[s]!.pending = token
                if running[s]!.output.count >= running[s]!.request.maxNewTokens || decoder.cache.length[s] >= config.positions { end(s) }
            }
        }
        let advancing = running.indices.filter { running[$0]?.pending != nil }
        if !advancing.isEmpty {
            decoder.advance(advancing, tokens: advancing.map { running[$0]!.pending! })
            sampleNext(advancing)
        }
        var startable: [Int] = []
        for s in running.indices where running[s] != nil && running[s]!.pending == nil {
            let request = running[s]!.request
            if config.patches + request.prompt.count < config.positions && request.maxNewTokens > 0 { startable.append(s) } else { end(s) }
        }
        for (_, members) in Dictionary(grouping: startable, by: { running[$0]!.request.prompt.count }).sorted(by: { $0.key < $1.key }) {
            decoder.prefill(members, patches: members.map { running[$0]!.request.patches }, prompts: members.map { running[$0]!.request.prompt })
            sampleNext(members)
        }
        return ended
    }
}
