import Foundation
import JudgeEval
import Testing

func item(_ id: String, _ category: String, preferred: Int, _ a: String = "a", _ b: String = "b") -> BenchmarkItem {
    BenchmarkItem(id: id, category: category, image: "img.png", query: "q", responses: [a, b], preferred: preferred)
}

@Suite struct MetricsTests {
    /// The macro average is summed in sorted category order, so the same judgements give the same bits
    /// in every process (a Dictionary's order is not), e.g. accuracies 0.615, 0.345, 0.515, 0.555.
    @Test func macroIsSummedInCategoryOrderSoItsBitsAreReproducible() {
        var judgements: [ItemJudgement] = []
        for (category, right) in [("correctness", 123), ("preference", 69), ("reasoning", 103), ("vqa", 111)] {
            for k in 0..<200 {
                let ok = k < right
                judgements.append(ItemJudgement(item: item("\(category)-\(k)", category, preferred: 0),
                                                straight: ok ? .first : .second, swapped: ok ? .second : .first))
            }
        }
        let m = BenchmarkMetrics.score(judgements)
        let sorted = ["correctness", "preference", "reasoning", "vqa"].reduce(0.0) { $0 + m.categories[$1]! } / 4
        #expect(m.macro.bitPattern == sorted.bitPattern)
    }

    @Test func scoresBothOrdersAndDropsUnparseableFromTheDenominator() {
        let judgements = [
            // Right in both orders (prefers response 0 both times).
            ItemJudgement(item: item("1", "general", preferred: 0), straight: .first, swapped: .second),
            // Always says "first": right once, wrong once, inconsistent.
            ItemJudgement(item: item("2", "general", preferred: 1), straight: .first, swapped: .first),
            // One unparseable, the other right.
            ItemJudgement(item: item("3", "reasoning", preferred: 1), straight: .second, swapped: .unparseable),
        ]
        let m = BenchmarkMetrics.score(judgements)
        #expect(m.categories["general"] == 3.0 / 4.0)
        #expect(m.categories["reasoning"] == 1.0)
        #expect(m.overall == 4.0 / 5.0)
        #expect(m.macro == (0.75 + 1.0) / 2)
        #expect(m.overallCoinFlip == 4.5 / 6.0)
        #expect(m.unparseable == 1)
        #expect(m.positionConsistency == 1.0 / 3.0)
    }

    @Test func accuracyPerKindOfErrorIsReadFromTheSourceAfterItsSlash() {
        func sourced(_ id: String, _ source: String?) -> BenchmarkItem {
            var i = item(id, id.hasPrefix("c") ? "correctness" : "vqa", preferred: 0)
            i.source = source
            return i
        }
        let judgements = [
            ItemJudgement(item: sourced("c1", "color/same-scene-distractor"), straight: .first, swapped: .second),
            ItemJudgement(item: sourced("v1", "shape/same-scene-distractor"), straight: .second, swapped: .second),
            ItemJudgement(item: sourced("v2", "existence/absent-combination"), straight: .second, swapped: .first),
            ItemJudgement(item: sourced("v3", nil), straight: .first, swapped: .second),
        ]
        let m = BenchmarkMetrics.score(judgements)
        #expect(m.kinds == ["same-scene-distractor": 3.0 / 4.0, "absent-combination": 0])
        #expect(BenchmarkMetrics.score([judgements[3]]).kinds == nil, "no kinds without sources")
    }

    @Test func alwaysFirstJudgeScoresExactlyHalfWithZeroConsistency() {
        let items = (0..<10).map { item("\($0)", "general", preferred: $0 % 2) }
        let m = BenchmarkMetrics.score(items.map { ItemJudgement(item: $0, straight: .first, swapped: .first) })
        #expect(m.overall == 0.5)
        #expect(m.positionConsistency == 0)
    }

    @Test func longerJudgePrefersTheLongerResponseInBothOrders() {
        let items = [item("1", "c", preferred: 0, "long answer", "short"), item("2", "c", preferred: 0, "x", "longer")]
        let m = BenchmarkMetrics.score(ReferenceJudges.longer(items))
        #expect(m.overall == 0.5)
        #expect(m.positionConsistency == 1)
    }

    @Test func randomJudgeIsSeededAndNearHalf() {
        let items = (0..<2000).map { item("\($0)", "c", preferred: $0 % 2) }
        let a = BenchmarkMetrics.score(ReferenceJudges.random(items, seed: 3))
        #expect(a == BenchmarkMetrics.score(ReferenceJudges.random(items, seed: 3)))
        #expect(abs(a.overall - 0.5) < 0.03)
    }
}

@Suite struct BenchmarkFileTests {
    @Test func jsonLinesRoundTripAndBadLinesAreLocated() throws {
        let dir = NSTemporaryDirectory() + "jf-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let items = [item("1", "general", preferred: 0), item("2", "hallucination", preferred: 1)]
        try Data(BenchmarkFile.encode(items)).write(to: URL(fileURLWithPath: dir + "/b.jsonl"))
        #expect(try BenchmarkFile.read(dir + "/b.jsonl") == items)
        var text = String(decoding: BenchmarkFile.encode(items), as: UTF8.self)
        text += "{\"id\": 3}\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/bad.jsonl"))
        do {
            _ = try BenchmarkFile.read(dir + "/bad.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
        }
    }
}
