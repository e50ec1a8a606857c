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
    public let implementationVersion = "2" + modelNumerics
    public let summary = "train the base vision-language model on the world's instruction data"
    public var params: [ParamSpec] {
        [ParamSpec("seed", .int, default: .int(1), range: ParamRanges.seed, doc: "training world seed (scenes and questions)"),
         ParamSpec("scenes", .int, default: .int(2000), range: 1...10_000_000, doc: "training scenes"),
         ParamSpec("questions_per_scene", .int, default: .int(3), range: 1...100, doc: "questions asked of each scene"),
        ] + QuestionMix.specs() + [
         ParamSpec("steps", .int, default: .int(1500), range: ParamRanges.steps, doc: "optimisation steps"),
         ParamSpec("batch", .int, default: .int(32), range: ParamRanges.batch, doc: "examples per step"),
         ParamSpec("lr", .double, default: .double(3e-3), range: ParamRanges.learningRate,
                   doc: "peak learning rate (warm-up then cosine to 10%)"),
         ParamSpec("warmup", .int, default: .int(100), range: ParamRanges.steps, doc: "warm-up steps"),
         ParamSpec("d", .int, default: .int(128), range: 4...2048, doc: "model width (a multiple of heads)"),
         ParamSpec("layers", .int, default: .int(4), range: 1...64, doc: "transformer blocks"),
         ParamSpec("heads", .int, default: .int(4), range: 1...64, doc: "attention heads"),
         ParamSpec("max_text", .int, default: .int(96), range: 2...4096, doc: "text positions (longest prompt + answer)"),
         ParamSpec("patch", .int, default: .int(8), range: 1...64, doc: "image patch side in pixels (a divisor of image_size)"),
         ParamSpec("stem", .int, default: .int(0), range: 0...4096,
                   doc: "hidden units of a per-patch GELU layer before the patch embedding (0: the embedding reads the pixels)"),
         ParamSpec("prefix_attention", .bool, default: .bool(true), doc: "image patches attend to each other bidirectionally"),
         ParamSpec("model_seed", .int, default: .int(0), range: ParamRanges.seed, doc: "initialisation seed")]
            + WorldParams.specs
    }

    public func problems(params: [String: Value]) -> [ParamProblem] {
        var found = WorldParams.problems(params) + QuestionMix.problems(params)
        if let d = params["d"]?.intValue, let heads = params["heads"]?.intValue, heads > 0, d % heads != 0 {
            found.append(ParamProblem(param: "d", "\(d) is not a multiple of heads \(heads)"))
        }
        if let size = params["image_size"]?.intValue, let patch = params["patch"]?.intValue, patch > 0, size % patch != 0 {
            found.append(ParamProblem(param: "patch", "\(patch) does not divide image_size \(size)"))
        }
        // Each param is within its range, but together they may ask for more parameters than a model may have.
        if let d = params["d"]?.intValue, let layers = params["layers"]?.intValue, let heads = params["heads"]?.intValue,
           let maxText = params["max_text"]?.intValue, let imageSize = params["image_size"]?.intValue, let patch = params["patch"]?.intValue {
            let config = ModelConfig(vocab: Prompts.worldTokenizer().count, d: d, layers: layers, heads: heads, maxText: maxText,
                                     imageSize: imageSize, patch: patch)
            do { try config.validate() } catch {
                switch error {
                case .tooManyParameters, .tooManyPositions: found.append(ParamProblem(param: "d", error.description))
                default: break  // a single param's range, d % heads and the patch are reported above
                }
            }
        }
        return found
    }
    public let inputs: [InputSpec] = []
    public func outputs(params: [String: Value]) -> [String] { ["model"] }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let world = try WorldParams.config(p)
        let tokenizer = Prompts.worldTokenizer()
        let config = ModelConfig(vocab: tokenizer.count, d: try p.int("d"), layers: try p.int("layers"), heads: try p.int("heads"),
                                 maxText: try p.int("max_text"), imageSize: world.imageSize, patch: try p.int("patch"),
                                 prefixAttention: try p.bool("prefix_attention"), stem: try p.int("stem") == 0 ? nil : try p.int("stem"))
        if let problem = config.problem { throw NodeError.invalid("model.pretrain: \(problem)") }
        let examples = InstructionData.examples(seed: try p.seed("seed"), scenes: try p.int("scenes"), world: world, tokenizer: tokenizer,
                                                patch: config.patch, mix: try QuestionMix(p), perScene: try p.int("questions_per_scene"))
        context.log("\(examples.count) instruction examples from \(try p.int("scenes")) scenes")
        let model = Model(config: config, tokenizer: tokenizer, seed: try p.seed("model_seed"), threads: context.threads)
        let trainer = Trainer(model: model, schedule: .init(learningRate: Float(try p.double("lr")), warmup: try p.int("warmup"),
                                                            steps: try p.int("steps")))
        let loop = TrainingLoop(steps: try p.int("steps"), batchSize: try p.int("batch"), seed: try p.seed("seed") &+ 17)
        try loop.run(trainer, examples: examples, context: context, label: "pretrain")
        try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
    }
}
