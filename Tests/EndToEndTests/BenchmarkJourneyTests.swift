import Foundation
import Testing

@Suite struct BenchmarkJourneyTests {
    @Test func worldBenchmarkNodeFeedsEvalByNodeName() throws {
        let p = Project()
        p.write("wf.yaml", "stages:\n  bench:\n    uses: world.benchmark\n    with: {items_per_category: 20}\n")
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let r = p.judgeflow("eval", "--judge", "longer", "--bench", "bench", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["items"] as? Int == 60)
        #expect((json["categories"] as? [String: Any])?.keys.sorted() == ["general", "hallucination", "reasoning"])
    }

    @Test func vlRewardBenchLayoutIsScored() {
        let p = Project()
        p.write("vlrb.jsonl", """
        {"id":"RLAIF-V-1","query":"q","image_path":"x.jpg","response":["good and long","bad"],"human_ranking":[0,1],"query_source":"RLAIF-V"}
        {"id":"w","query":"q","image_path":"y.jpg","response":["b","a longer one"],"human_ranking":[1,0],"query_source":"WildVision"}
        """)
        let r = p.judgeflow("eval", "--judge", "longer", "--bench", "vlrb.jsonl", "--format", "vl-rewardbench")
        #expect(r.status == 0)
        #expect(r.stdout.contains("| general | 1.000 |") && r.stdout.contains("| hallucination | 1.000 |"))
        let bad = p.judgeflow("eval", "--judge", "longer", "--bench", "vlrb.jsonl")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("vlrb.jsonl:1:1: error: not a benchmark item"))
    }
}
