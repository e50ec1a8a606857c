import Compute
import Foundation
import TinyVLM

/// `judgeflow-bench model`: the embedded model's train-step, forward and KV-cache greedy generation
/// throughput on the configuration and with the method of ../shared/bench/torch-ref/train_step.py
/// (3 warm-up steps, median of `steps` timings; generation: the patches and 32 prompt tokens, then
/// `text − 32` new tokens for the whole batch).
enum ModelBench {
    static func run(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--threads", "--d", "--layers", "--heads", "--vocab", "--text", "--image", "--batch", "--steps", "--only"],
                          switches: ["--json"])
        let threads = try f.int("--threads", default: 2), d = try f.int("--d", default: 128), layers = try f.int("--layers", default: 4)
        let heads = try f.int("--heads", default: 4), vocab = try f.int("--vocab", default: 512), text = try f.int("--text", default: 128)
        let image = try f.int("--image", default: 32), batchSize = try f.int("--batch", default: 32), steps = try f.int("--steps", default: 20)
        let config = ModelConfig(vocab: vocab, d: d, layers: layers, heads: heads, maxText: text, imageSize: image)
        if let problem = config.problem { throw .usage(problem) }
        guard text > 32 else { throw .usage("--text must exceed the 32 prompt tokens") }
        let model = Model(config: config, tokenizer: Tokenizer(vocabulary: (0..<(vocab - Tokenizer.specials.count)).map { "w\($0)" }),
                          seed: 0, threads: threads)
        var rng = SeededRandom(seed: 1)
        let patches = (0..<(batchSize * config.patches * config.patchFeatures)).map { _ in rng.unit() }
        let tokens = (0..<(batchSize * text)).map { _ in Int32(rng.next() % UInt64(vocab)) }
        let targets = (0..<(batchSize * text)).map { _ in Int32(rng.next() % UInt64(vocab)) }
        let batch = Batch(size: batchSize, time: text, patches: patches, tokens: tokens, targets: targets,
                          mask: Array(repeating: 1, count: batchSize * text))
        let trainer = Trainer(model: model, schedule: .init(learningRate: 3e-4, warmup: 1, steps: 1_000_000), weightDecay: 0.1)
        let seq = Double(batchSize * (config.patches + text))
        func median(_ n: Int, _ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<n {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        // `--only train|forward|generate` measures one part (for profiling); the others report 0.
        let only = f.string("--only")
        if let only, !["train", "forward", "generate"].contains(only) { throw .usage("--only takes train, forward or generate") }
        func wanted(_ part: String) -> Bool { only == nil || only == part }
        var train = 0.0, forward = 0.0, generate = 0.0
        if wanted("train") {
            for _ in 0..<3 { trainer.train(batch) }
            train = seq / median(steps) { trainer.train(batch) }
        }
        if wanted("forward") {
            // As the reference's forward, which returns its logits tensor: the logits are not copied out.
            for _ in 0..<3 { _ = model.withLogits(batch) { $0[0] } }
            forward = seq / median(steps) { _ = model.withLogits(batch) { $0[0] } }
        }
        let per = config.patches * config.patchFeatures
        let requests = (0..<batchSize).map { b in
            GenerationRequest(patches: Array(patches[(b * per)..<((b + 1) * per)]), prompt: Array(tokens[(b * text)..<(b * text + 32)]),
                              maxNewTokens: text - 32)
        }
        if wanted("generate") {
            _ = model.generate(requests.map { var r = $0; r.maxNewTokens = 4; return r }, options: SamplingOptions())
            generate = Double(batchSize * (text - 32)) / median(max(3, steps / 4)) { _ = model.generate(requests, options: SamplingOptions()) }
        }
        let result = "{\"params\": \(model.parameterCount), \"threads\": \(threads), \"train_tokens_per_s\": \(Int(train)), "
            + "\"forward_tokens_per_s\": \(Int(forward)), \"generate_tokens_per_s\": \(Int(generate))}"
        print(f.flag("--json") ? result
              : "params=\(model.parameterCount) threads=\(threads) train=\(Int(train)) tok/s forward=\(Int(forward)) tok/s generate=\(Int(generate)) tok/s")
    }
}
