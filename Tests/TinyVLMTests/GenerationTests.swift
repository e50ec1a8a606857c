import Compute
import Testing
import TinyVLM

func randomModel(prefix: Bool = false, seed: UInt64 = 5, stem: Int? = nil) -> Model {
    let config = ModelConfig(vocab: 30, d: 16, layers: 2, heads: 2, maxText: 20, imageSize: 16, prefixAttention: prefix, stem: stem)
    let model = Model(config: config, tokenizer: Tokenizer(vocabulary: (0..<25).map { "w\($0)" }), seed: seed, threads: 2)
    var rng = SeededRandom(seed: seed)
    for i in 0..<model.parameterCount { model.setParameter(i, model.parameterValues[i] + rng.normal() * 0.2) }
    return model
}

func randomPatches(_ model: Model, seed: UInt64) -> [Float] {
    var rng = SeededRandom(seed: seed)
    return (0..<(model.config.patches * model.config.patchFeatures)).map { _ in rng.unit() }
}

@Suite struct GenerationTests {
    @Test(arguments: [(false, nil), (true, nil), (true, 24)] as [(Bool, Int?)])
    func cachedGreedyDecodingMatchesFullRecomputation(prefix: Bool, stem: Int?) {
        let model = randomModel(prefix: prefix, stem: stem)
        let prompts: [[Int32]] = [[2, 7, 9], [2, 11], [2, 5, 6, 7, 8]]
        let requests = prompts.enumerated().map { GenerationRequest(patches: randomPatches(model, seed: UInt64($0)), prompt: $1, maxNewTokens: 8) }
        let outputs = model.generate(requests, options: SamplingOptions())
        for (i, out) in outputs.enumerated() {
            #expect(out.count == 8)
            let text = prompts[i] + out
            let batch = Batch(size: 1, time: text.count, patches: requests[i].patches, tokens: text,
                              targets: Array(repeating: 0, count: text.count), mask: Array(repeating: 0, count: text.count))
            let logits = model.logits(batch)
            let v = model.config.vocab
            for t in (prompts[i].count - 1)..<(text.count - 1) {
                let row = Array(logits[(t * v)..<((t + 1) * v)])
                #expect(Int32(row.firstIndex(of: row.max()!)!) == text[t + 1], "sequence \(i) step \(t)")
            }
        }
    }

    @Test func samplingIsDeterministicPerSeedAndIndependentOfBatching() {
        let model = randomModel()
        let options = SamplingOptions(temperature: 1, topK: 10, topP: 0.9, seed: 42)
        let requests = (0..<4).map { GenerationRequest(patches: randomPatches(model, seed: UInt64($0)), prompt: [2, Int32(5 + $0)], maxNewTokens: 10) }
        let a = model.generate(requests, options: options)
        #expect(a == model.generate(requests, options: options))
        #expect(a != model.generate(requests, options: SamplingOptions(temperature: 1, topK: 10, topP: 0.9, seed: 43)))
        model.threads = 1
        #expect(a == model.generate(requests, options: options))
    }

    /// 40 sequences with prompts of three lengths, on one thread: in groups of 16 (16 + 16 + 8, each
    /// group prefilled and decoded on its own) they continue exactly as in one group of 40.
    @Test func decodingInGroupsGivesEachSequenceItsOwnContinuation() {
        let model = randomModel()
        model.threads = 1
        let options = SamplingOptions(temperature: 1.2, topK: 12, seed: 8)
        let requests = (0..<40).map {
            GenerationRequest(patches: randomPatches(model, seed: UInt64(30 + $0)), prompt: Array([2, 7, Int32(3 + $0 % 9), 4].prefix(2 + $0 % 3)),
                              maxNewTokens: 4 + $0 % 7)
        }
        model.decoderCacheBytes = 1
        let grouped = model.generate(requests, options: options)
        model.decoderCacheBytes = .max
        let whole = model.generate(requests, options: options)
        #expect(grouped == whole)
        #expect(Set(grouped).count > 20)
    }

    /// Five prompts of one length on one thread are prefilled two at a time (2 + 2 + 1); on five threads
    /// each is prefilled alone. Every sequence must continue the same either way.
    @Test func prefillInChunksGivesEachSequenceItsOwnContinuation() {
        let model = randomModel()
        let options = SamplingOptions(temperature: 1.5, seed: 3)
        let requests = (0..<5).map { GenerationRequest(patches: randomPatches(model, seed: UInt64(10 + $0)), prompt: [2, Int32(4 + $0), 9],
                                                       maxNewTokens: 6) }
        model.threads = 1
        let together = model.generate(requests, options: options)
        model.threads = 5
        let alone = model.generate(requests, options: options)
        #expect(together == alone)
        #expect(Set(alone).count > 1, "the sequences should not all continue alike")
    }

    @Test func constrainedDecodingNeverEmitsADisallowedToken() {
        let model = randomModel()
        let verdicts: [Int32] = [12, 13]
        let requests = (0..<20).map { GenerationRequest(patches: randomPatches(model, seed: UInt64($0)), prompt: [2, 3 + Int32($0 % 5)],
                                                        maxNewTokens: 1, allowed: { _ in verdicts }) }
        for options in [SamplingOptions(), SamplingOptions(temperature: 2, seed: 1)] {
            for out in model.generate(requests, options: options) { #expect(out.count == 1 && verdicts.contains(out[0])) }
        }
    }

    @Test func stopTokensEndGeneration() {
        let model = randomModel()
        let requests = [GenerationRequest(patches: randomPatches(model, seed: 1), prompt: [2], maxNewTokens: 15)]
        let free = model.generate(requests, options: SamplingOptions())[0]
        guard let first = free.first else { return }
        let stopped = model.generate(requests, options: SamplingOptions(stop: [first]))[0]
        #expect(stopped.isEmpty)
    }
}

@Suite struct CheckpointTests {
    @Test func checkpointRoundTripsParametersConfigTokenizerAndOptimizer() throws {
        let model = randomModel()
        let trainer = Trainer(model: model, schedule: .init(learningRate: 1e-3, warmup: 2, steps: 10))
        let batch = Batch(examples: [Example(patches: randomPatches(model, seed: 1), prompt: [2, 5], completion: [6, 7])],
                          tokenizer: model.tokenizer, maxText: 20)
        trainer.train(batch)
        let bytes = Checkpoint.encode(model, trainer: trainer)
        let (back, state) = try Checkpoint.decode(bytes, threads: 1)
        #expect(back.parameterValues == model.parameterValues)
        #expect(back.config == model.config && back.tokenizer == model.tokenizer)
        #expect(state?.step == 1 && state?.m == trainer.state.m)
        #expect(Checkpoint.encode(back) == Checkpoint.encode(model))
        #expect(throws: Checkpoint.Failure.self) { try Checkpoint.decode(Array(bytes.prefix(100)), threads: 1) }
    }

    @Test func resumedTrainingIsBitwiseIdenticalToUninterrupted() throws {
        let batch = Batch(examples: [Example(patches: randomPatches(randomModel(), seed: 1), prompt: [2, 5], completion: [6, 7, 8])],
                          tokenizer: randomModel().tokenizer, maxText: 20)
        let schedule = Trainer.Schedule(learningRate: 3e-3, warmup: 2, steps: 6)
        let straight = Trainer(model: randomModel(), schedule: schedule)
        for _ in 0..<6 { straight.train(batch) }
        let first = Trainer(model: randomModel(), schedule: schedule)
        for _ in 0..<3 { first.train(batch) }
        let (model, state) = try Checkpoint.decode(Checkpoint.encode(first.model, trainer: first), threads: 2)
        let resumed = Trainer(model: model, schedule: schedule)
        resumed.restore(step: state!.step, m: state!.m, v: state!.v)
        for _ in 0..<3 { resumed.train(batch) }
        #expect(resumed.model.parameterValues == straight.model.parameterValues)
    }
}
