import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM

/// A judgement the filter kept, ready to become two training examples.
public struct KeptTrace: Codable, Sendable, Equatable {
    public var scene: Int
    public var family: String
    public var question: String
    public var trace: String
    public var preferred: String
    public var rejected: String
}

/// `uses: judge.traces` — the current judge writes a trace and a verdict for every synthetic pair in both
/// orders; the filter keeps a pair when its verdict agrees with the synthetic preference (`rule`), and
/// reports kept fractions per question family. `labels: ground-truth` (with `rule: all`) is the oracle
/// arm: pairs relabelled by `OracleLabels`, never part of the annotation-free loop.
public struct JudgeTracesNode: NodeType {
    public init() {}
    public let name = "judge.traces"
    public let implementationVersion = "5" + modelNumerics
    public let summary = "judge every synthetic pair in both orders and keep the agreeing traces"
    public var params: [ParamSpec] {
        [ParamSpec("rule", .oneOf(AgreementRule.allCases.map(\.rawValue)), default: .string("position-free"),
                   doc: "position-free (margin A-first minus margin B-first), both-orders (the paper's), either-order, or all"),
         ParamSpec("labels", .oneOf(["synthetic", "ground-truth"]), default: .string("synthetic"),
                   doc: "synthetic (the loop) or ground-truth (the oracle arm: the true answer is preferred)"),
         ParamSpec("max_trace", .int, default: .int(48), range: 1...4096, doc: "longest trace the judge may write"),
         ParamSpec("consistent", .bool, default: .bool(false),
                   doc: "closed-ended pairs are kept only when the trace (the judge's own answer) is the preferred answer")]
    }
    public let inputs = [InputSpec("judge", doc: "the current judge (model checkpoint)"),
                         InputSpec("pairs", multiple: true, doc: "pair directories from pairs.closed / pairs.open")]
    public func outputs(params: [String: Value]) -> [String] { ["kept"] }

    public func run(_ context: NodeContext) throws {
        let model = try Checkpoint.load(try context.input("judge").path, threads: context.threads)
        var pairs: [Pair] = []
        var world: WorldRef?
        for artifact in context.inputs["pairs"] ?? [] {
            let (records, w) = try RecordDirectory.read(Pair.self, from: artifact.path, file: "pairs.jsonl")
            if let world, world != w { throw NodeError.invalid("judge.traces: pair sets come from different worlds") }
            world = w
            pairs += records
        }
        guard let world else { throw NodeError.missingInput("pairs") }
        if (try context.params.string("labels")) == "ground-truth" {
            let count = pairs.count
            pairs = pairs.compactMap(OracleLabels.relabel)
            context.log("ground-truth labels: \(pairs.count) of \(count) pairs have a wrong response to reject")
        }
        var judge = Judge(model: model)
        judge.maxTrace = try context.params.int("max_trace")
        guard let rule = AgreementRule(rawValue: try context.params.string("rule")) else { throw NodeError.invalid("judge.traces: unknown rule") }
        let consistent = try context.params.bool("consistent")
        var kept: [KeptTrace] = []
        var totals: [String: (seen: Int, kept: Int)] = [:]
        for start in stride(from: 0, to: pairs.count, by: 64) {
            let chunk = Array(pairs[start..<min(pairs.count, start + 64)])
            let outputs = judge.judge(chunk.map { Judge.Input(patches: world.patches($0.scene), question: $0.question,
                                                              responses: ($0.preferred, $0.rejected)) })
            for (pair, out) in zip(chunk, outputs) {
                let agrees = rule.agrees(straight: Double(out.straight), swapped: Double(out.swapped))
                    && (!consistent || TraceConsistency.consistent(trace: out.trace, with: pair))
                totals[pair.family, default: (0, 0)].seen += 1
                if agrees {
                    totals[pair.family, default: (0, 0)].kept += 1
                    kept.append(KeptTrace(scene: pair.scene, family: pair.family, question: pair.question, trace: out.trace,
                                          preferred: pair.preferred, rejected: pair.rejected))
                }
            }
            context.progress(Double(start + chunk.count) / Double(pairs.count), "judging")
        }
        try RecordDirectory.write(kept, world: world, to: context.outputPath("kept"), file: "kept.jsonl")
        let stats = totals.mapValues { ["pairs": $0.seen, "kept": $0.kept] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(stats).write(to: URL(fileURLWithPath: context.outputPath("kept") + "/stats.json"))
        context.log("kept \(kept.count) of \(pairs.count) pairs (\(rule.rawValue)): "
                    + totals.keys.sorted().map { "\($0) \(totals[$0]!.kept)/\(totals[$0]!.seen)" }.joined(separator: ", "))
    }
}

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

/// `uses: judge.eval` — scores a judge on a benchmark directory (both orders) and writes metrics JSON
/// with the same fields `judgeflow eval --json` prints, plus the random and longer-response references,
/// and which benchmark and iteration they belong to (so a report can place them without the DAG).
public struct JudgeEvalNode: NodeType {
    public init() {}
    public let name = "judge.eval"
    public let implementationVersion = "4" + modelNumerics
    public let summary = "benchmark a judge in both response orders"
    public var params: [ParamSpec] {
        [ParamSpec("label", .string, default: .string(""), doc: "name shown in reports"),
         ParamSpec("iteration", .int, default: .int(0), range: 0...10_000, doc: "iteration shown in reports; 0 = the base judge")]
    }
    public let inputs = [InputSpec("judge", doc: "judge model checkpoint"), InputSpec("benchmark", doc: "a world.benchmark output")]
    public func outputs(params: [String: Value]) -> [String] { ["metrics"] }

    public func run(_ context: NodeContext) throws {
        let model = try Checkpoint.load(try context.input("judge").path, threads: context.threads)
        let dir = try context.input("benchmark").path
        let items = try BenchmarkFile.read(dir + "/items.jsonl")
        let judgements = try BenchmarkJudging.judge(items, directory: dir, model: model) { context.progress($0, "evaluating") }
        let report = EvalReport(judge: BenchmarkMetrics.score(judgements), random: BenchmarkMetrics.score(ReferenceJudges.random(items, seed: 7)),
                                longer: BenchmarkMetrics.score(ReferenceJudges.longer(items)), label: try context.params.string("label"),
                                benchmark: try BenchmarkDescription.name(ofDirectory: dir), iteration: try context.params.int("iteration"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(report).write(to: URL(fileURLWithPath: context.outputPath("metrics")))
        context.log(String(format: "macro %.3f overall %.3f consistency %.3f", report.judge.macro, report.judge.overall,
                           report.judge.positionConsistency))
    }
}
