import Compute
import Foundation
import JudgeEval
import ModelBackend
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: judge.eval` — scores a judge on a benchmark directory (both orders) and writes metrics JSON
/// with the same fields `judgeflow eval --json` prints, plus the random and longer-response references,
/// and which benchmark and iteration they belong to (so a report can place them without the DAG). With
/// `backend: openai` the judge is a served model (`RemoteJudge`), shown each item's image file as it is,
/// and the metrics also say how its verdicts were read (`verdicts`).
public struct JudgeEvalNode: NodeType {
    public init() {}
    public let name = "judge.eval"
    public let implementationVersion = "6" + modelNumerics
    public let summary = "benchmark a judge in both response orders"
    public var params: [ParamSpec] {
        [ParamSpec("label", .string, default: .string(""), doc: "name shown in reports"),
         ParamSpec("iteration", .int, default: .int(0), range: 0...10_000, doc: "iteration shown in reports; 0 = the base judge"),
         CellChecks.Layout.param(onlyWith: [(param: "backend", value: "embedded")])]
            + BackendParams.specs() + RemoteJudge.specs
    }
    public let inputs = [InputSpec("judge", doc: "judge model checkpoint (backend: embedded)"),
                         InputSpec("benchmark", doc: "a world.benchmark output or an imported benchmark")]
    public func requiredInputs(params: [String: Value]) -> [String] {
        BackendParams.requiredInputs(params, modelInput: "judge", others: ["benchmark"])
    }
    public func problems(params: [String: Value]) -> [ParamProblem] { RemoteJudge.problems(params) }
    public func outputs(params: [String: Value]) -> [String] { ["metrics"] }

    public func run(_ context: NodeContext) throws {
        let dir = try context.input("benchmark").path
        let items = try BenchmarkFile.read(dir + "/items.jsonl")
        var judgements: [ItemJudgement] = []
        var tally: VerdictTally?
        if BackendParams.isRemote(context.params) {
            let session = try BackendParams.session(context, modelInput: "judge")
            defer { BackendParams.finish(session) }
            let (judged, counted) = try BenchmarkJudging.judgeServed(items, directory: dir, params: session.context.params) { requests, note in
                try BackendParams.run(requests, session.runner, context, note: note)
            }
            judgements = judged
            tally = counted
            context.log(counted.line)
        } else {
            let model = try Checkpoint.load(try context.input("judge").path, threads: context.threads)
            judgements = try BenchmarkJudging.judge(items, directory: dir, model: model, checks: try CellChecks.Layout.read(context.params)) { context.progress($0, "evaluating") }
        }
        var report = EvalReport(judge: BenchmarkMetrics.score(judgements), random: BenchmarkMetrics.score(ReferenceJudges.random(items, seed: 7)),
                                longer: BenchmarkMetrics.score(ReferenceJudges.longer(items)), label: try context.params.string("label"),
                                benchmark: try BenchmarkDescription.name(ofDirectory: dir), iteration: try context.params.int("iteration"))
        report.verdicts = tally
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(report).write(to: URL(fileURLWithPath: context.outputPath("metrics")))
        context.log(String(format: "macro %.3f overall %.3f consistency %.3f", report.judge.macro, report.judge.overall,
                           report.judge.positionConsistency))
    }
}
