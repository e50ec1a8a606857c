import Foundation
import NodeKit

/// `uses: judge.filter` — keeps the judged pairs whose verdict agrees with the synthetic preference
/// (`rule`), optionally only closed-ended pairs whose trace (the judge's own answer) is the preferred
/// answer (`consistent`), and reports kept fractions per question family. It reads `judge.traces`'
/// scored traces, so changing the rule — the paper's central ablation — reruns only this node and what
/// is downstream. Output `kept`: `kept.jsonl` (`KeptTrace`s in pair order), `world.json` and
/// `stats.json` (`{family: {"pairs": n, "kept": k}}`).
public struct JudgeFilterNode: NodeType {
    public init() {}
    public let name = "judge.filter"
    public let implementationVersion = "1"
    public let summary = "keep the judged pairs whose verdict agrees with the synthetic preference"
    public var params: [ParamSpec] {
        [ParamSpec("rule", .oneOf(AgreementRule.allCases.map(\.rawValue)), default: .string("position-free"),
                   doc: "position-free (margin A-first minus margin B-first), both-orders (the paper's), either-order, or all"),
         ParamSpec("consistent", .bool, default: .bool(false),
                   doc: "closed-ended pairs are kept only when the trace (the judge's own answer) is the preferred answer")]
    }
    public let inputs = [InputSpec("traces", doc: "scored traces from judge.traces")]
    public func outputs(params: [String: Value]) -> [String] { ["kept"] }

    public func run(_ context: NodeContext) throws {
        let (scored, world) = try RecordDirectory.read(ScoredTrace.self, from: try context.input("traces").path, file: "traces.jsonl")
        guard let rule = AgreementRule(rawValue: try context.params.string("rule")) else {
            throw NodeError.invalid("judge.filter: unknown rule")
        }
        let (kept, totals) = TraceFilter.keep(scored, rule: rule, consistent: try context.params.bool("consistent"))
        try RecordDirectory.write(kept, world: world, to: context.outputPath("kept"), file: "kept.jsonl")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(totals.mapValues { ["pairs": $0.seen, "kept": $0.kept] })
            .write(to: URL(fileURLWithPath: context.outputPath("kept") + "/stats.json"))
        context.log("kept \(kept.count) of \(scored.count) pairs (\(rule.rawValue)): "
                    + totals.keys.sorted().map { "\($0) \(totals[$0]!.kept)/\(totals[$0]!.seen)" }.joined(separator: ", "))
    }
}
