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

    @Test func benchLintPassesAWorldBenchmarkAndNamesEachFlaggedItemByLine() throws {
        let p = Project()
        p.write("wf.yaml", "stages:\n  bench:\n    uses: world.benchmark\n    with: {items_per_category: 20}\n")
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        #expect(p.judgeflow("export", "bench", "out", "--workflow", "wf.yaml").status == 0)
        let clean = p.judgeflow("bench", "lint", "out/benchmark")
        #expect(clean.status == 0 && clean.stdout.contains("60 items: clean"), "\(clean.stdout)\(clean.stderr)")
        p.write("bad/items.jsonl", """
            {"version":1,"id":"a","category":"c","image":"i.png","query":"what color is the circle ?","responses":["red","blue"],"preferred":0}
            {"version":1,"id":"b","category":"c","image":"i.png","query":"how many objects are there ?","responses":["2","two objects"],"preferred":0}
            """)
        let flagged = p.judgeflow("bench", "lint", "bad")
        #expect(flagged.status == 1)
        #expect(flagged.stdout.contains("bad/items.jsonl:2: answer-type:") && flagged.stdout.contains("bad/items.jsonl:2: length:"))
        #expect(!flagged.stdout.contains("items.jsonl:1:"))
        #expect(flagged.stdout.contains("2 items, 1 flagged") && flagged.stdout.contains("out-of-world words not checked"))
        #expect(p.judgeflow("bench", "lint", "nosuch").status == 2)
    }

    @Test func aModelCheckpointJudgesByNodeNameAndByFileAndItsSamplesJoinTheBenchmark() throws {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            inputs: {samplers: [base]}
            with: {<<: *world, items_per_category: 6, sampled_share: 1}
        """)
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        let byNode = p.judgeflow("eval", "--judge", "base", "--bench", "bench", "--json")
        #expect(byNode.status == 0, "\(byNode.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(byNode.stdout.utf8)) as? [String: Any])
        #expect(json["items"] as? Int == 18 && json["unparseable"] as? Int == 0)
        // The same checkpoint as a file scores the same.
        let show = p.judgeflow("show", "base", "--workflow", "wf.yaml", "--json")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let digest = try #require(((shown["outputs"] as? [String: Any])?["model"] as? [String: Any])?["digest"] as? String)
        let path = "artifacts/objects/\(digest.prefix(2))/\(digest)"
        let byFile = p.judgeflow("eval", "--judge", path, "--bench", "bench", "--json")
        #expect(byFile.status == 0 && byFile.stdout == byNode.stdout, "\(byFile.stderr)")
        let missing = p.judgeflow("eval", "--judge", "nosuch", "--bench", "bench")
        #expect(missing.status == 2 && missing.stderr.contains("'nosuch' is neither a file nor a node"))
        // A judge trained with the sequential check layout is read with it; an unknown layout is a usage error.
        #expect(p.judgeflow("eval", "--judge", "base", "--bench", "bench", "--checks", "sequential", "--json").status == 0)
        let layout = p.judgeflow("eval", "--judge", "base", "--bench", "bench", "--checks", "side-by-side")
        #expect(layout.status == 2 && layout.stderr.contains("unknown --checks 'side-by-side'; use word-verdicts|interleaved|sequential"))
        let served = p.judgeflow("serve", "base", "--workflow", "wf.yaml", "--checks", "side-by-side")
        #expect(served.status == 2 && served.stderr.contains("--checks takes word-verdicts|interleaved|sequential"))
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
