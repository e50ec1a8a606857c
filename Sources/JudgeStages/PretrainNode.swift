import Compute
import Foundation
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: model.pretrain` — the base model: the embedded VLM trained from scratch on the world's
/// instruction data (captions and question–answer pairs with ground-truth answers). It plays the
/// off-the-shelf instruction-tuned VLM of the paper, and is the iteration-0 judge. Output `model`:
/// a safetensors checkpoint.
public struct PretrainNode: NodeType {
    public init() {}
    public let name = "model.pretrain"
    public let implementationVersion = "1" + modelNumerics
    public let summary = "train the base vision-language model on the world's instruction data"
    public var params: [ParamSpec] {
        [ParamSpec("seed", .int, default: .int(1), doc: "training world seed (scenes and questions)"),
         ParamSpec("scenes", .int, default: .int(2000), doc: "training scenes"),
         ParamSpec("questions_per_scene", .int, default: .int(3), doc: "questions asked of each scene"),
         ParamSpec("steps", .int, default: .int(1500), doc: "optimisation steps"),
         ParamSpec("batch", .int, default: .int(32), doc: "examples per step"),
         ParamSpec("lr", .double, default: .double(3e-3), doc: "peak learning rate (warm-up then cosine to 10%)"),
         ParamSpec("warmup", .int, default: .int(100), doc: "warm-up steps"),
         ParamSpec("d", .int, default: .int(128), doc: "model width"),
         ParamSpec("layers", .int, default: .int(4), doc: "transformer blocks"),
         ParamSpec("heads", .int, default: .int(4), doc: "attention heads"),
         ParamSpec("max_text", .int, default: .int(96), doc: "text positions (longest prompt + answer)"),
         ParamSpec("prefix_attention", .bool, default: .bool(true), doc: "image patches attend to each other bidirectionally"),
         ParamSpec("model_seed", .int, default: .int(0), doc: "initialisation seed")]
            + WorldParams.specs
    }
    public let inputs: [InputSpec] = []
    public func outputs(params: [String: Value]) -> [String] { ["model"] }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        func int(_ k: String) -> Int { p[k]?.intValue ?? 0 }
        let world = try WorldParams.config(p)
        let tokenizer = Prompts.worldTokenizer()
        let config = ModelConfig(vocab: tokenizer.count, d: int("d"), layers: int("layers"), heads: int("heads"),
                                 maxText: int("max_text"), imageSize: world.imageSize, prefixAttention: p["prefix_attention"]?.boolValue ?? true)
        if let problem = config.problem { throw NodeError.invalid("model.pretrain: \(problem)") }
        GEMM.defaultThreads = context.threads
        let examples = InstructionData.examples(seed: UInt64(int("seed")), scenes: int("scenes"), world: world, tokenizer: tokenizer,
                                                perScene: int("questions_per_scene"))
        context.log("\(examples.count) instruction examples from \(int("scenes")) scenes")
        let model = Model(config: config, tokenizer: tokenizer, seed: UInt64(int("model_seed")), threads: context.threads)
        let trainer = Trainer(model: model, schedule: .init(learningRate: Float(p["lr"]?.doubleValue ?? 3e-3), warmup: int("warmup"),
                                                            steps: int("steps")))
        let loop = TrainingLoop(steps: int("steps"), batchSize: int("batch"), seed: UInt64(int("seed")) &+ 17)
        try loop.run(trainer, examples: examples, context: context, label: "pretrain")
        try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
    }
}
