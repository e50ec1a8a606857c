import Foundation
import Testing

/// The quick-start loop at a size that runs in seconds: every node type wired as in
/// workflows/quickstart.yaml, then one edit in iteration 2 reruns exactly its cone, and `results` prints
/// the report node's output.
@Suite struct LoopJourneyTests {
    static let tiny = ["--set", "base.steps=20", "--set", "base.scenes=40", "--set", "base.d=16", "--set", "base.layers=1",
                       "--set", "base.heads=2", "--set", "closed.count=6", "--set", "closed.samples=4", "--set", "closed.threshold=2",
                       "--set", "open.count=6", "--set", "judge.steps=4", "--set", "judge.batch=4", "--set", "bench.items_per_category=4"]

    func quickstart() -> String {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return here.appendingPathComponent("workflows/quickstart.yaml").path
    }

    @Test func quickstartRunsEndToEndAndAnEditRerunsOnlyItsCone() throws {
        let p = Project()
        let cold = p.judgeflow(["run", quickstart(), "--store", "store"] + Self.tiny)
        #expect(cold.status == 0, "\(cold.stderr.suffix(2000))")
        // 16 nodes; at this toy size some iterations produce identical artifacts, which the store dedupes.
        #expect((cold.counts?.ran ?? 0) + (cold.counts?.cached ?? 0) == 16 && cold.counts?.failed == 0)
        let again = p.judgeflow(["run", quickstart(), "--store", "store"] + Self.tiny)
        #expect(again.counts?.ran == 0 && again.counts?.cached == 16)
        let status = p.judgeflow(["status", quickstart(), "--store", "store"] + Self.tiny + ["--set", "kept@2.rule=both-orders"])
        #expect(status.stdout.contains("stale: kept@2\n    param rule changed \"position-free\" → \"both-orders\""))
        #expect(!status.stdout.contains("traces@2"), "the filter rule is not an input of the traces")
        let edited = p.judgeflow(["run", quickstart(), "--store", "store"] + Self.tiny + ["--set", "kept@2.rule=both-orders"])
        #expect(edited.status == 0)
        // kept@2 reruns, the traces do not; judge@2, eval@2 and the report rerun unless early cutoff spares
        // them (the same kept set).
        #expect((1...4).contains(edited.counts?.ran ?? -1) && edited.counts?.cached == 16 - (edited.counts?.ran ?? 0))
        #expect(edited.stderr.contains("▶ kept@2") && !edited.stderr.contains("▶ traces@2"))
        let metrics = p.judgeflow(["show", "eval@2", "--store", "store", "--json"])
        #expect(metrics.stdout.contains("\"metrics\""))
        let report = p.judgeflow(["show", "report", "--store", "store", "--json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(shown["stored"] as? Bool == true && (shown["outputs"] as? [String: Any])?["report"] != nil)

        let edit = Self.tiny + ["--set", "kept@2.rule=both-orders"]
        let results = p.judgeflow(["results", quickstart(), "--store", "store", "--json"] + edit)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(results.stdout.utf8)) as? [String: Any])
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        #expect(iterations.map { $0["iteration"] as? Int } == [0, 1, 2])
        #expect(iterations.allSatisfy { $0["benchmark"] as? String == "vl-rewardbench" })
        #expect(iterations.allSatisfy { $0["position_consistency"] is Double && ($0["categories"] as? [String: Any])?.count == 3 })
        let references = try #require(json["references"] as? [String: Any])
        #expect((references["random"] as? [String: Any])?["vl-rewardbench"] != nil)
        #expect((references["longer"] as? [String: Any])?["vl-rewardbench"] != nil)
        #expect((json["kept"] as? [[String: Any]])?.map { $0["iteration"] as? Int } == [1, 2])
        #expect((json["gain"] as? [String: Any])?["vl-rewardbench"] != nil)
        let table = p.judgeflow(["results", quickstart(), "--store", "store"] + edit)
        #expect(table.status == 0 && table.stdout.contains("## vl-rewardbench") && table.stdout.contains("| iteration 2 |"))
        #expect(table.stdout.contains("| random |") && table.stdout.contains("## Kept traces"))
        #expect(p.judgeflow(["results", quickstart(), "--store", "store", "--markdown"] + edit).stdout == table.stdout)
    }

    @Test func resultsWithoutAReportNodeListEveryEvalNode() throws {
        let p = Project()
        p.write("no-report.yaml", "extends: \(quickstart())\nparams: {iterations: 1}\nstages:\n  report: ~\n")
        let run = p.judgeflow(["run", "no-report.yaml", "--store", "store"] + Self.tiny)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        let results = p.judgeflow(["results", "no-report.yaml", "--store", "store", "--json"] + Self.tiny)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(results.stdout.utf8)) as? [String: Any])
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        #expect(iterations.map { $0["node"] as? String } == ["eval0", "eval@1"])
        #expect(iterations.allSatisfy { $0["positionConsistency"] is Double && $0["position_consistency"] is Double })
        #expect((json["references"] as? [String: Any])?["random"] != nil)
    }
}

extension Project {
    @discardableResult
    func judgeflow(_ arguments: [String]) -> Result { finish(start(arguments)) }
}

@Suite struct MatrixResultsTests {
    /// A matrix gives one report per variant; `results` prints each under its node name, and `--json`
    /// keys them by node.
    @Test func resultsOfAMatrixPrintEveryVariantsReport() throws {
        let p = Project()
        p.write("wf.yaml", "matrix:\n  lr: [0.001, 0.002]\n" + Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            with: {<<: *world, items_per_category: 4}
          eval0:
            uses: judge.eval
            inputs: {judge: base, benchmark: bench}
          tuned:
            uses: model.pretrain
            with: {<<: *world, scenes: 20, steps: 5, d: 16, layers: 1, heads: 2, max_text: 96, lr: "${lr}"}
          eval1:
            uses: judge.eval
            inputs: {judge: tuned, benchmark: bench}
            with: {iteration: 1}
          report:
            uses: report
            inputs: {evals: [eval0, eval1]}
        """)
        let run = p.judgeflow(["run", "wf.yaml"])
        #expect(run.status == 0, "\(run.stderr.suffix(1000))")
        let table = p.judgeflow(["results", "wf.yaml"])
        #expect(table.stdout.contains("# report[lr=0.001]") && table.stdout.contains("# report[lr=0.002]"))
        let json = p.judgeflow(["results", "wf.yaml", "--json"])
        let reports = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["reports"] as? [String: Any])
        #expect(reports.keys.sorted() == ["report[lr=0.001]", "report[lr=0.002]"])

        // The arms side by side: a row per arm, the benchmark's macro and categories at the last iteration.
        let compared = p.judgeflow(["results", "wf.yaml", "--compare"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let rows = compared.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("| arm | vl-rewardbench macro | ") == true)
        #expect(rows.filter { $0.hasPrefix("| report[lr=") }.count == 2)
        #expect(compared.stdout.contains("(each benchmark at its last iteration: 1)"))
        let comparedJSON = p.judgeflow(["results", "wf.yaml", "--compare", "--json"])
        let arms = try #require((try JSONSerialization.jsonObject(with: Data(comparedJSON.stdout.utf8)) as? [String: Any])?["arms"] as? [[String: Any]])
        #expect(arms.map { $0["arm"] as? String } == ["report[lr=0.001]", "report[lr=0.002]"])
    }
}
