import ArtifactStore
import Foundation
import JudgeStages
import NodeKit
import WorkflowPlan

/// `judgeflow results WORKFLOW [--json] [--markdown]`: the results of the workflow's latest run. When the
/// workflow has a `report` node whose output is recorded, its `report.md` (default, `--markdown`) or
/// `report.json` (`--json`) verbatim; several (a matrix's variants) are printed one after another, or as
/// `{"reports": {node: report}}`. Otherwise the metrics of every `judge.eval` node by iteration
/// (`eval@3` → 3; a node without `@` is iteration 0) and benchmark, with the reference judges; nodes not
/// yet evaluated are listed as missing. `--compare` puts the arms of a `matrix:` side by side, as
/// `dvc exp show` does: a row per report node, and each benchmark's macro and categories at its last iteration.
enum ResultsCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--store"], booleans: ["--json", "--markdown", "--compare"])
        if args.flag("--json") && args.flag("--markdown") { throw .usage("results: choose one of --json and --markdown") }
        let path = try CLI.workflowPath(args)
        let graph = try CLI.loadGraph(path, overrides: args.all("--set"), registry: registry)
        let store = try CLI.openStore(args)
        guard let record = try CLI.workflowRecord(store, path: path) else {
            throw .failed("no run of \(path) is recorded in \(store.root); run it first")
        }
        if args.flag("--compare") {
            return try compare(try reportFiles("report.json", graph: graph, record: record, store: store), json: args.flag("--json"))
        }
        let reports = try reportFiles(args.flag("--json") ? "report.json" : "report.md", graph: graph, record: record, store: store)
        if reports.count == 1 {
            let text = reports[0].text
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return 0
        }
        if !reports.isEmpty {
            // A matrix: one report per variant, named by its node (`report[arm=majority]`).
            if args.flag("--json") {
                var all: [String: Any] = [:]
                for r in reports { all[r.node] = (try? JSONSerialization.jsonObject(with: Data(r.text.utf8))) ?? NSNull() }
                CLI.printJSON(["reports": all])
            } else {
                print(reports.map { "# \($0.node)\n\n\($0.text)" }.joined(separator: "\n"))
            }
            return 0
        }
        return evalTable(graph: graph, record: record, store: store, json: args.flag("--json"))
    }

    /// A file of every `report` node (in graph order) whose output the latest run recorded. A recorded
    /// report that fails its digest check is an error (quarantined, so the next run rebuilds it), never
    /// silently replaced by the fallback table.
    static func reportFiles(_ name: String, graph: Graph, record: WorkflowRecord, store: ArtifactStore)
        throws(CLIError) -> [(node: String, text: String)] {
        var files: [(node: String, text: String)] = []
        for node in graph.nodes where node.type.name == "report" {
            guard let key = record.nodes[node.name]?.key, let output = store.manifest(for: key)?.outputs["report"],
                  output.isTree else { continue }
            do {
                guard let entry = try store.tree(output.digest).entries.first(where: { $0.path == name }) else { continue }
                files.append((node.name, String(decoding: try store.read(entry.digest), as: UTF8.self)))
            } catch {
                throw .failed("\(node.name): \(error); run the workflow again to rebuild the report")
            }
        }
        return files
    }

    /// Without a report node: every judge.eval node's metrics, placed by node name.
    static func evalTable(graph: Graph, record: WorkflowRecord, store: ArtifactStore, json: Bool) -> Int32 {
        var rows: [[String: Any]] = []
        var references: [String: Any] = [:]
        var missing: [String] = []
        for node in graph.nodes where node.type.name == "judge.eval" {
            guard let key = record.nodes[node.name]?.key, let manifest = store.manifest(for: key), let ref = manifest.outputs["metrics"],
                  let bytes = try? store.read(ref.digest), let report = try? JSONDecoder().decode(EvalReport.self, from: Data(bytes)) else {
                missing.append(node.name)
                continue
            }
            let iteration = node.name.split(separator: "@").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
            let benchmark = node.inputs["benchmark"]?.first.map { graph.nodes[$0.node].name } ?? "benchmark"
            let m = report.judge
            rows.append(["iteration": node.name.contains("@") ? iteration : 0, "benchmark": benchmark, "node": node.name,
                         "overall": m.overall, "macro": m.macro, "categories": m.categories,
                         "positionConsistency": m.positionConsistency, "position_consistency": m.positionConsistency,
                         "unparseable": m.unparseable])
            references["random"] = ["overall": report.random.overall, "macro": report.random.macro]
            references["longer"] = ["overall": report.longer.overall, "macro": report.longer.macro]
        }
        rows.sort { ($0["benchmark"] as! String, $0["iteration"] as! Int) < ($1["benchmark"] as! String, $1["iteration"] as! Int) }
        references["oracle"] = NSNull()
        if json {
            CLI.printJSON(["iterations": rows, "references": references, "missing": missing])
            return 0
        }
        var lines = ["| benchmark | iteration | macro | overall | position consistency | categories |", "|---|---|---|---|---|---|"]
        for r in rows {
            let cats = (r["categories"] as! [String: Double]).sorted { $0.key < $1.key }.map { String(format: "%@ %.3f", $0.key, $0.value) }
            lines.append(String(format: "| %@ | %d | %.3f | %.3f | %.3f | %@ |", r["benchmark"] as! String, r["iteration"] as! Int,
                                r["macro"] as! Double, r["overall"] as! Double, r["positionConsistency"] as! Double, cats.joined(separator: ", ")))
        }
        for (name, value) in references.sorted(by: { $0.key < $1.key }) {
            if let v = value as? [String: Double] { lines.append(String(format: "reference %@: macro %.3f, overall %.3f", name, v["macro"]!, v["overall"]!)) }
        }
        if !missing.isEmpty { lines.append("not evaluated yet: " + missing.joined(separator: ", ")) }
        print(lines.joined(separator: "\n"))
        return 0
    }

    /// The arms side by side: each report's last iteration per benchmark.
    static func compare(_ reports: [(node: String, text: String)], json: Bool) throws(CLIError) -> Int32 {
        guard !reports.isEmpty else {
            throw .failed("--compare needs the workflow's report nodes to have run (one per matrix arm)")
        }
        var arms: [(name: String, last: [String: LoopReport.Row])] = []
        for report in reports {
            guard let decoded = try? JSONDecoder().decode(LoopReport.self, from: Data(report.text.utf8)) else {
                throw .failed("\(report.node): report.json is not a loop report")
            }
            var last: [String: LoopReport.Row] = [:]
            for row in decoded.iterations where row.iteration >= (last[row.benchmark]?.iteration ?? Int.min) { last[row.benchmark] = row }
            arms.append((report.node, last))
        }
        let benchmarks = Set(arms.flatMap(\.last.keys)).sorted()
        if json {
            CLI.printJSON(["arms": arms.map { arm -> [String: Any] in
                ["arm": arm.name, "benchmarks": arm.last.mapValues { ["iteration": $0.iteration, "macro": $0.macro, "categories": $0.categories] as [String: Any] }]
            }])
            return 0
        }
        var header = ["arm"], columns: [(String, String?)] = []
        for b in benchmarks {
            let categories = Set(arms.flatMap { $0.last[b]?.categories.keys.map { $0 } ?? [] }).sorted()
            header.append("\(b) macro")
            columns.append((b, nil))
            for c in categories {
                header.append(c)
                columns.append((b, c))
            }
        }
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
        for arm in arms {
            let cells = columns.map { (b, c) -> String in
                guard let row = arm.last[b] else { return "–" }
                let value = c.map { row.categories[$0] } ?? row.macro
                return value.map { String(format: "%.3f", $0) } ?? "–"
            }
            lines.append("| " + ([arm.name] + cells).joined(separator: " | ") + " |")
        }
        let iterations = Set(arms.flatMap { $0.last.values.map(\.iteration) }).sorted().map(String.init).joined(separator: ", ")
        lines.append("(each benchmark at its last iteration: \(iterations))")
        print(lines.joined(separator: "\n"))
        return 0
    }
}
