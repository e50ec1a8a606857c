import Compute
import Testing
import TinyVLM

func tinyBatch(_ c: ModelConfig, b: Int, t: Int, seed: UInt64) -> Batch {
    var rng = SeededRandom(seed: seed)
    let patches = (0..<(b * c.patches * c.patchFeatures)).map { _ in rng.unit() }
    let tokens = (0..<(b * t)).map { _ in Int32(rng.next() % UInt64(c.vocab)) }
    let targets = (0..<(b * t)).map { _ in Int32(rng.next() % UInt64(c.vocab)) }
    let mask = (0..<(b * t)).map { $0 % 3 == 0 ? Float(0) : 1 }
    return Batch(size: b, time: t, patches: patches, tokens: tokens, targets: targets, mask: mask)
}

@Suite struct ModelGradientTests {
    @Test(arguments: [(false, nil), (true, nil), (true, 12)] as [(Bool, Int?)])
    func everyParameterGradientMatchesFiniteDifferences(prefix: Bool, stem: Int?) {
        let config = ModelConfig(vocab: 11, d: 8, layers: 2, heads: 2, maxText: 5, imageSize: 16, patch: 8, prefixAttention: prefix, stem: stem)
        let model = Model(config: config, tokenizer: Tokenizer(vocabulary: ["x"]), seed: 3, threads: 2)
        // Larger weights than the default init, so every path carries signal.
        var rng = SeededRandom(seed: 9)
        for i in 0..<model.parameterCount { model.setParameter(i, model.parameterValues[i] + rng.normal() * 0.3) }
        let batch = tinyBatch(config, b: 2, t: 5, seed: 4)
        model.lossAndGradients(batch)
        let analytic = model.gradientValues
        var worst: Float = 0, checked = 0
        for entry in model.layout.entries {
            for i in Set([0, entry.count / 2, entry.count - 1]) {
                let index = entry.offset + i
                let original = model.parameterValues[index]
                model.setParameter(index, original + 1e-2)
                let plus = model.loss(batch)
                model.setParameter(index, original - 1e-2)
                let minus = model.loss(batch)
                model.setParameter(index, original)
                let numeric = (plus - minus) / 2e-2
                worst = max(worst, abs(numeric - analytic[index]) / max(0.05, abs(numeric)))
                checked += 1
            }
        }
        #expect(checked > 60)
        #expect(worst < 5e-2, "worst relative error \(worst)")
    }

    @Test func gradientsDoNotDependOnTheThreadCount() {
        let config = ModelConfig(vocab: 40, d: 32, layers: 2, heads: 4, maxText: 12, imageSize: 16)
        let batch = tinyBatch(config, b: 5, t: 12, seed: 1)
        var results: [[Float]] = []
        for threads in [1, 2, 3] {
            let model = Model(config: config, tokenizer: Tokenizer(vocabulary: []), seed: 7, threads: threads)
            model.lossAndGradients(batch)
            results.append(model.gradientValues)
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }
}
