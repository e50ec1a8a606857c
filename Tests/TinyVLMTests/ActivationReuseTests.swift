import Compute
import Testing
import TinyVLM

@Suite struct ActivationReuseTests {
    /// Training batches are as long as their longest example; a shorter batch reuses the activations a
    /// longer one left (its first rows), and must give exactly the gradients fresh ones give.
    @Test(arguments: [false, true])
    func aShorterBatchAfterALongerOneGivesTheGradientsOfAFreshModel(prefix: Bool) {
        let config = ModelConfig(vocab: 23, d: 16, layers: 2, heads: 2, maxText: 12, imageSize: 16, patch: 8, prefixAttention: prefix)
        let long = tinyBatch(config, b: 3, t: 12, seed: 1), short = tinyBatch(config, b: 3, t: 7, seed: 2)
        let reused = Model(config: config, tokenizer: Tokenizer(vocabulary: []), seed: 4, threads: 2)
        let fresh = reused.copy()
        reused.lossAndGradients(long)
        let lossReused = reused.lossAndGradients(short), lossFresh = fresh.lossAndGradients(short)
        #expect(lossReused.bitPattern == lossFresh.bitPattern)
        #expect(reused.gradientValues.map(\.bitPattern) == fresh.gradientValues.map(\.bitPattern))
        // And back to the longer shape.
        #expect(reused.lossAndGradients(long).bitPattern == fresh.copy().lossAndGradients(long).bitPattern)
    }
}
