import Foundation
import Testing

/// `judgeflow import` on files in the releases' layouts (Tests/Fixtures/benchmarks), then `eval` on the result.
@Suite struct ImportJourneyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path + "/Fixtures/benchmarks"

    @Test func importedReleaseFilesAreScoredByEvalUnderTheirBenchmarksName() throws {
        let p = Project()
        let tsv = p.judgeflow("import", Self.fixtures + "/vl-rewardbench/vl_rewardbench.tsv", "-o", "vlrb")
        #expect(tsv.status == 0, "\(tsv.stderr)")
        #expect(tsv.stdout.contains("imported 4 items (general 1, hallucination 2, reasoning 1) and 3 images into vlrb"))
        #expect(FileManager.default.fileExists(atPath: p.directory + "/vlrb/images/000001.jpg"))
        let mm = p.judgeflow("import", Self.fixtures + "/multimodal-rewardbench/all_data.json", "-o", "mmrb",
                             "--images", Self.fixtures + "/multimodal-rewardbench", "--name", "MMRB")
        #expect(mm.status == 0, "\(mm.stderr)")
        for (dir, items, name) in [("vlrb", 4, "VL-RewardBench"), ("mmrb", 5, "MMRB")] {
            let r = p.judgeflow("eval", "--judge", "longer", "--bench", dir, "--json")
            #expect(r.status == 0, "\(r.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(json["items"] as? Int == items)
            #expect(p.read(dir + "/benchmark.json")?.contains("\"style\" : \"\(name)\"") == true)
        }
        // eval reads the release's file itself, with the same scores as on the imported directory (the
        // parquet's ids also name each item's source dataset, which the TSV does not: only it has `kinds`).
        let direct = p.judgeflow("eval", "--judge", "longer", "--bench", Self.fixtures + "/vl-rewardbench/vl-rewardbench.jsonl",
                                 "--format", "vl-rewardbench", "--json")
        var scores = try #require(try JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as? [String: Any])
        #expect(direct.status == 0 && scores.removeValue(forKey: "kinds") != nil)
        let imported = try #require(try JSONSerialization.jsonObject(with: Data(p.judgeflow("eval", "--judge", "longer", "--bench", "vlrb",
                                                                                              "--json").stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: scores).isEqual(to: imported))
    }

    @Test func aMalformedReleaseFileIsALocatedErrorWithExitCode2() {
        let p = Project()
        p.write("bad.tsv", "index\tquestion\timage\tresponse\tanswer\tcategory\n0\tq\t0\t['a', 'b']\t[0, 1]\tgeneral\n")
        let r = p.judgeflow("import", "bad.tsv", "-o", "out")
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.tsv:2:1: error: record 1: the image cell '0' names no row with an image of its own"))
        #expect(!FileManager.default.fileExists(atPath: p.directory + "/out"))
        let format = p.judgeflow("import", "bad.tsv", "-o", "out", "--format", "vlrb")
        #expect(format.status == 2 && format.stderr.contains("unknown --format 'vlrb'; use vl-rewardbench or multimodal-rewardbench"))
    }

    @Test func theEmbeddedJudgeNamesAnImportedJPEGItCannotRead() {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let r = p.judgeflow("eval", "--judge", "base", "--bench", Self.fixtures + "/vl-rewardbench/vl_rewardbench.tsv",
                            "--format", "vl-rewardbench")
        #expect(r.status == 1)
        #expect(r.stderr.contains("item 0: image") && r.stderr.contains("images/000001.jpg: not a PNG file"), "\(r.stderr)")
    }
}
