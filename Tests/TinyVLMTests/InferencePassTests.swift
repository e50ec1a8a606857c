import Compute
import Testing
import TinyVLM

@Suite struct InferencePassTests {
    /// Scoring (`logits`, `withLogits`, `loss`) runs the inference pass (scratch only), training the
    /// training forward (which saves every activation); a judge's scores must be exactly what its training
    /// computed. Odd batch sizes leave a short
    /// last chunk; more threads than sequences leave idle parts; d 48 with 4·d = 192 and 300 text
    /// positions covers edge tiles and products deeper than one 256-step block.
    @Test(arguments: [(false, 5, 9, nil), (true, 3, 9, nil), (true, 1, 300, nil), (true, 3, 9, 40)] as [(Bool, Int, Int, Int?)])
    func inferenceLogitsAreBitwiseThoseOfTheTrainingForward(_ setup: (Bool, Int, Int, Int?)) {
        let (prefix, b, t, stem) = setup
        let config = ModelConfig(vocab: 37, d: 48, layers: 2, heads: 3, maxText: t, imageSize: 16, patch: 8, prefixAttention: prefix, stem: stem)
        let batch = tinyBatch(config, b: b, t: t, seed: 5)
        let reference = Model(config: config, tokenizer: Tokenizer(vocabulary: []), seed: 11, threads: 1)
        var rng = SeededRandom(seed: 12)
        for i in 0..<reference.parameterCount { reference.setParameter(i, reference.parameterValues[i] + rng.normal() * 0.2) }
        let expected = reference.trainingForwardLogits(batch).map(\.bitPattern)
        for threads in [1, 2, 3] {
            let model = reference.copy(threads: threads)
            #expect(model.logits(batch).map(\.bitPattern) == expected, "\(threads) threads")
            // Reused scratch (a second call with the same shapes) gives the same bits.
            #expect(model.withLogits(batch) { $0.map(\.bitPattern) } == expected, "second call, \(threads) threads")
        }
    }

    /// Scoring batches change length from call to call; a shorter one reuses the longer one's buffers.
    @Test func aShorterBatchAfterALongerOneScoresAsTheTrainingForward() {
        let config = ModelConfig(vocab: 29, d: 32, layers: 2, heads: 2, maxText: 20, imageSize: 16, patch: 8, prefixAttention: true)
        let model = Model(config: config, tokenizer: Tokenizer(vocabulary: []), seed: 3, threads: 2)
        let long = tinyBatch(config, b: 5, t: 20, seed: 6), short = tinyBatch(config, b: 3, t: 7, seed: 7)
        let expected = model.copy().trainingForwardLogits(short).map(\.bitPattern)
        _ = model.logits(long)
        #expect(model.logits(short).map(\.bitPattern) == expected)
    }
}
