import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: judge.traces` — the current judge writes a trace and a verdict for every synthetic pair in both
/// orders, and all of them are kept with their scores (`judge.filter` then keeps the agreeing ones, so an
/// edit of the filter rule reruns only the filter). `labels: ground-truth` is the oracle arm: pairs
/// relabelled by `OracleLabels`, never part of the annotation-free loop. Output `traces`: a directory with
/// `traces.jsonl` (one `ScoredTrace` per pair, in pair order) and `world.json`.
public struct JudgeTracesNode: NodeType {
    public init() {}
    public let name = "judge.traces"
    public let implementationVersion = "6" + modelNumerics
    public let summary = "judge every synthetic pair in both orders, with the trace and both orders' scores"
    public var params: [ParamSpec] {
        [ParamSpec("labels", .oneOf(["synthetic", "ground-truth"]), default: .string("synthetic"),
                   doc: "synthetic (the loop) or ground-truth (the oracle arm: the true answer is preferred)"),
         ParamSpec("max_trace", .int, default: .int(48), range: 1...4096, doc: "longest trace the judge may write")]
    }
    public let inputs = [InputSpec("judge", doc: "the current judge (model checkpoint)"),
                         InputSpec("pairs", multiple: true, doc: "pair directories from pairs.closed / pairs.open")]
    public func outputs(params: [String: Value]) -> [String] { ["traces"] }

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
        var scored: [ScoredTrace] = []
        for start in stride(from: 0, to: pairs.count, by: 64) {
            let chunk = Array(pairs[start..<min(pairs.count, start + 64)])
            let outputs = judge.judge(chunk.map { Judge.Input(patches: world.patches($0.scene), question: $0.question,
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
