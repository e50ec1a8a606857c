import Compute
import Foundation
import JudgeEval
import ModelBackend
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: judge.traces` — the current judge writes a trace and a verdict for every synthetic pair in both
/// orders, and all of them are kept with their scores (`judge.filter` then keeps the agreeing ones, so an
/// edit of the filter rule reruns only the filter). `labels: ground-truth` is the oracle arm: pairs
/// relabelled by `OracleLabels`, never part of the annotation-free loop. Output `traces`: a directory with
/// `traces.jsonl` (one `ScoredTrace` per pair, in pair order) and `world.json`. With `backend: openai` the
/// judge is a served model (`RemoteJudge`): a margin is logP(A) − logP(B) of its verdict (±1 read from the
/// text, 0 unparseable, so an unread verdict is never kept), and `verdicts.json` says how they were read.
public struct JudgeTracesNode: NodeType {
    public init() {}
    public let name = "judge.traces"
    public let implementationVersion = "7" + modelNumerics
    public let summary = "judge every synthetic pair in both orders, with the trace and both orders' scores"
    public var params: [ParamSpec] {
        [ParamSpec("labels", .oneOf(["synthetic", "ground-truth"]), default: .string("synthetic"),
                   doc: "synthetic (the loop) or ground-truth (the oracle arm: the true answer is preferred)"),
         ParamSpec("max_trace", .int, default: .int(48), range: 1...4096, onlyWith: [(param: "backend", value: "embedded")],
                   doc: "longest trace the embedded judge may write"),
         CellChecks.Layout.param(onlyWith: [(param: "backend", value: "embedded")])]
            + BackendParams.specs() + RemoteJudge.specs
    }
    public func requiredInputs(params: [String: Value]) -> [String] {
        BackendParams.requiredInputs(params, modelInput: "judge", others: ["pairs"])
    }
    public func problems(params: [String: Value]) -> [ParamProblem] { RemoteJudge.problems(params) }
    public let inputs = [InputSpec("judge", doc: "the current judge (model checkpoint; backend: embedded)"),
                         InputSpec("pairs", multiple: true, doc: "pair directories from pairs.closed / pairs.open")]
    public func outputs(params: [String: Value]) -> [String] { ["traces"] }

    public func run(_ context: NodeContext) throws {
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
        if BackendParams.isRemote(context.params) {
            var tally = VerdictTally(), images: [Int: [UInt8]] = [:]
            let items = pairs.map { pair in
                let image = images[pair.scene] ?? world.png(pair.scene)
                images[pair.scene] = image
                return RemoteJudge.Item(image: image, question: pair.question, responses: (pair.preferred, pair.rejected))
            }
            let session = try BackendParams.session(context, modelInput: "judge")
            defer { BackendParams.finish(session) }
            let judged = try RemoteJudge(session.context.params).judge(items, runner: session.runner, context: context,
                                                                tally: &tally)
            let scored = zip(pairs, judged).map {
                ScoredTrace(pair: $0, trace: $1.trace, straight: Float($1.straight.margin), swapped: Float($1.swapped.margin),
                            swappedTrace: $1.swappedTrace)
            }
            let directory = context.outputPath("traces")
            try RecordDirectory.write(scored, world: world, to: directory, file: "traces.jsonl")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(tally).write(to: URL(fileURLWithPath: directory + "/verdicts.json"))
            context.log("\(scored.count) pairs judged in both orders; " + tally.line)
            return
        }
        let model = try Checkpoint.load(try context.input("judge").path, threads: context.threads)
        var judge = Judge(model: model)
        judge.maxTrace = try context.params.int("max_trace")
        judge.checks = try CellChecks.Layout.read(context.params)
        var scored: [ScoredTrace] = []
        for start in stride(from: 0, to: pairs.count, by: 64) {
            let chunk = Array(pairs[start..<min(pairs.count, start + 64)])
            let outputs = judge.judge(chunk.map { Judge.Input(patches: world.patches($0.scene, patch: model.config.patch), question: $0.question,
                                                              responses: ($0.preferred, $0.rejected)) })
            for (pair, out) in zip(chunk, outputs) {
                scored.append(ScoredTrace(pair: pair, trace: out.trace, straight: out.straight, swapped: out.swapped))
            }
            context.progress(Double(start + chunk.count) / Double(pairs.count), "judging")
        }
        try RecordDirectory.write(scored, world: world, to: context.outputPath("traces"), file: "traces.jsonl")
        context.log("\(scored.count) pairs judged in both orders")
    }
}
