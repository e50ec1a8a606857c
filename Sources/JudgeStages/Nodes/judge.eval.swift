import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM

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
