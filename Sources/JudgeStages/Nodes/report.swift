import Foundation
import NodeKit

/// `uses: report` — gathers a loop's `judge.eval` metrics (any benchmarks and iterations, placed by the
/// `benchmark` and `iteration` the metrics carry), optional oracle-arm metrics and the `judge.traces`
/// stats of each iteration into one `LoopReport`, and writes it as `report.json`, `report.md`, `chart.svg`
/// and `report.html` (the tables and the chart on one self-contained page) in the directory output
/// `report`. `judgeflow results` prints it.
public struct ReportNode: NodeType {
    public init() {}
    public let name = "report"
    public let implementationVersion = "2"
    public let summary = "the loop's results per benchmark and iteration: report.json, report.md, chart.svg, report.html"
    public let params: [ParamSpec] = []
    public let inputs = [
        InputSpec("evals", multiple: true, doc: "judge.eval metrics: every iteration of every benchmark, e.g. [eval0, \"eval@*\"]"),
        InputSpec("oracle", required: false, multiple: true, doc: "judge.eval metrics of the oracle judge, matched by benchmark"),
        InputSpec("kept", required: false, multiple: true, doc: "judge.traces kept directories; the i-th is iteration i"),
    ]
    public func outputs(params: [String: Value]) -> [String] { ["report"] }

    public func run(_ context: NodeContext) throws {
        let evals = try (context.inputs["evals"] ?? []).map { try Self.decode(EvalReport.self, at: $0.path, what: "judge.eval metrics") }
        let oracle = try (context.inputs["oracle"] ?? []).map { try Self.decode(EvalReport.self, at: $0.path, what: "judge.eval metrics") }
        let kept = try (context.inputs["kept"] ?? []).map {
            try Self.decode([String: LoopReport.FamilyCounts].self, at: $0.path + "/stats.json", what: "judge.traces stats")
        }
        let report = try LoopReport.build(evals: evals, oracle: oracle, kept: kept)
        let directory = context.outputPath("report")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(report.json()).write(to: URL(fileURLWithPath: directory + "/report.json"))
        try Data(report.markdown().utf8).write(to: URL(fileURLWithPath: directory + "/report.md"))
        try Data(ReportChart.svg(report).utf8).write(to: URL(fileURLWithPath: directory + "/chart.svg"))
        try Data(report.html().utf8).write(to: URL(fileURLWithPath: directory + "/report.html"))
        for benchmark in report.benchmarks {
            let rows = report.iterations.filter { $0.benchmark == benchmark }
            context.log("\(benchmark): macro " + rows.map { String(format: "%d %.3f", $0.iteration, $0.macro) }.joined(separator: ", "))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, at path: String, what: String) throws(NodeError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalid("report: cannot read \(what) at \(path)") }
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw .invalid("report: \(path) is not \(what) (\(error.localizedDescription))")
        }
    }
}
