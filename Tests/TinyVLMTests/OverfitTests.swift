import Compute
import SyntheticWorld
import Testing
import TinyVLM

@Suite struct OverfitTests {
    @Test func tinyModelLearnsAHandfulOfImageQuestionAnswersPerfectly() {
        let tokenizer = Tokenizer(vocabulary: WorldVocabulary.words)
        var examples: [Example] = []
        for i in 0..<6 {
            let scene = SceneGenerator.scene(seed: 3, index: i)
            let patches = Patches.features(rgb: Renderer.render(scene).pixels, size: 32, patch: 8)
            var rng = WorldRandom(seed: UInt64(i))
            for family in [Question.Family.count, .existence] {
                let q = QuestionGenerator.question(family, about: scene, rng: &rng)!
                examples.append(Example(patches: patches, prompt: [tokenizer.bos] + tokenizer.encode(q.text) + [tokenizer.sep],
                                        completion: tokenizer.encode(q.answer)))
            }
        }
        let config = ModelConfig(vocab: tokenizer.count, d: 64, layers: 2, heads: 4, maxText: 24, imageSize: 32)
        let model = Model(config: config, tokenizer: tokenizer, seed: 1, threads: 2)
        let trainer = Trainer(model: model, schedule: .init(learningRate: 3e-3, warmup: 10, steps: 150), weightDecay: 0)
        let batch = Batch(examples: examples, tokenizer: tokenizer, maxText: 24)
        for _ in 0..<150 { trainer.train(batch) }
        let outputs = model.generate(examples.map { GenerationRequest(patches: $0.patches, prompt: $0.prompt, maxNewTokens: 4) },
                                     options: SamplingOptions(stop: [tokenizer.eos]))
        #expect(outputs == examples.map(\.completion))
    }
}
