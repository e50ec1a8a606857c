import Foundation
import Testing

/// The quick-start loop at a size that runs in seconds: every node type wired as in
/// workflows/quickstart.yaml, then one edit in iteration 2 reruns exactly its cone.
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
        // 13 nodes; at this toy size some iterations produce identical artifacts, which the store dedupes.
        #expect((cold.counts?.ran ?? 0) + (cold.counts?.cached ?? 0) == 13 && cold.counts?.failed == 0)
        let again = p.judgeflow(["run", quickstart(), "--store", "store"] + Self.tiny)
        #expect(again.counts?.ran == 0 && again.counts?.cached == 13)
        let status = p.judgeflow(["status", quickstart(), "--store", "store"] + Self.tiny + ["--set", "traces@2.rule=both-orders"])
        #expect(status.stdout.contains("stale: traces@2\n    param rule changed \"position-free\" → \"both-orders\""))
        let edited = p.judgeflow(["run", quickstart(), "--store", "store"] + Self.tiny + ["--set", "traces@2.rule=both-orders"])
        #expect(edited.status == 0)
        // traces@2 reruns; judge@2 and eval@2 rerun unless early cutoff spares them (same kept set).
        #expect((1...3).contains(edited.counts?.ran ?? -1) && edited.counts?.cached == 13 - (edited.counts?.ran ?? 0))
        let metrics = p.judgeflow(["show", "eval@2", "--store", "store", "--json"])
        #expect(metrics.stdout.contains("\"metrics\""))
        let results = p.judgeflow(["results", quickstart(), "--store", "store", "--json"] + Self.tiny + ["--set", "traces@2.rule=both-orders"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(results.stdout.utf8)) as? [String: Any])
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        #expect(iterations.map { $0["iteration"] as? Int } == [0, 1, 2])
        #expect((json["references"] as? [String: Any])?["random"] != nil)
    }
}

extension Project {
    @discardableResult
    func judgeflow(_ arguments: [String]) -> Result { finish(start(arguments)) }
}
