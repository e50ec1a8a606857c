import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: judge.train` — fine-tunes the previous judge on kept traces (loss on trace and verdict), each
/// kept pair in both orders; `data` lists this iteration's kept set first, then earlier ones, mixed in at
/// the `mix_previous` share.
public struct JudgeTrainNode: NodeType {
    public init() {}
    public let name = "judge.train"
    public let implementationVersion = "5" + modelNumerics
    public let summary = "fine-tune the judge on its kept traces"
    public var params: [ParamSpec] {
        [ParamSpec("steps", .int, default: .int(300), range: ParamRanges.steps, doc: "optimisation steps"),
         ParamSpec("batch", .int, default: .int(32), range: ParamRanges.batch, doc: "examples per step"),
         ParamSpec("lr", .double, default: .double(1e-3), range: ParamRanges.learningRate, doc: "peak learning rate"),
         ParamSpec("warmup", .int, default: .int(20), range: ParamRanges.steps, doc: "warm-up steps"),
         ParamSpec("verdict_weight", .double, default: .double(1), range: 0...1000,
                   doc: "loss weight of the verdict token relative to a trace token"),
         ParamSpec("mix_previous", .double, default: .double(0.3), range: 0...1, doc: "share of earlier iterations' kept data"),
         ParamSpec("seed", .int, default: .int(1), range: ParamRanges.seed, doc: "batch order and mixing seed")]
    }
    public let inputs = [InputSpec("init", doc: "the judge to fine-tune"),
                         InputSpec("data", multiple: true, doc: "kept traces: this iteration's first, then earlier ones")]
    public func outputs(params: [String: Value]) -> [String] { ["model"] }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let model = try Checkpoint.load(try context.input("init").path, threads: context.threads)
        let tok = model.tokenizer
        let verdictWeight = Float(try p.double("verdict_weight"))
        var sets: [[Example]] = []
        for artifact in context.inputs["data"] ?? [] {
            let (kept, world) = try RecordDirectory.read(KeptTrace.self, from: artifact.path, file: "kept.jsonl")
            sets.append(kept.flatMap { k in
                Judge.examples(patches: world.patches(k.scene), question: k.question, trace: k.trace, preferred: k.preferred,
                               rejected: k.rejected, verdictWeight: verdictWeight, tokenizer: tok)
            })
        }
        var rng = WorldRandom(seed: try p.seed("seed"))
        let examples = DataMixing.mix(current: sets.first ?? [], earlier: Array(sets.dropFirst()),
                                      share: try p.double("mix_previous"), rng: &rng)
        context.log("\(examples.count) training examples (\(sets.first?.count ?? 0) from this iteration)")
        if examples.isEmpty {
            // Nothing was kept: the judge stays as it was, and the log says so (visible in `show` and reports).
            context.log("warning: no kept traces; the judge is unchanged this iteration")
            try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
            return
        }
        let steps = try p.int("steps")
        let trainer = Trainer(model: model, schedule: .init(learningRate: Float(try p.double("lr")),
                                                            warmup: try p.int("warmup"), steps: steps))
        try TrainingLoop(steps: steps, batchSize: try p.int("batch"), seed: try p.seed("seed") &+ 99)
            .run(trainer, examples: examples, context: context, label: "judge")
        try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
    }
}
