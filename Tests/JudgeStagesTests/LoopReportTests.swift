import Foundation
import JudgeEval
import JudgeStages
import Testing

/// Metrics with the given macro accuracy; categories default to two at that accuracy.
func metrics(_ macro: Double, categories: [String: Double]? = nil, items: Int = 10, unparseable: Int = 0) -> BenchmarkMetrics {
    BenchmarkMetrics(items: items, overall: macro, macro: macro, overallCoinFlip: macro,
                     categories: categories ?? ["general": macro, "reasoning": macro], positionConsistency: 0.75,
                     unparseable: unparseable)
}

/// One judge.eval's metrics; the reference judges are scored on the same categories.
func eval(_ benchmark: String?, _ iteration: Int?, macro: Double, categories: [String: Double]? = nil,
          unparseable: Int = 0) -> EvalReport {
    EvalReport(judge: metrics(macro, categories: categories, unparseable: unparseable),
               random: metrics(0.5, categories: categories?.mapValues { _ in 0.5 }),
               longer: metrics(0.55, categories: categories?.mapValues { _ in 0.55 }),
               label: "", benchmark: benchmark, iteration: iteration)
}

@Suite struct LoopReportTests {
    @Test func rowsAreSortedByBenchmarkThenIteration() throws {
        let report = try LoopReport.build(evals: [eval("vl", 2, macro: 0.7), eval("mm", 0, macro: 0.6), eval("vl", 0, macro: 0.5),
                                                  eval("vl", 1, macro: 0.6), eval("mm", 1, macro: 0.65)])
        #expect(report.iterations.map { "\($0.benchmark)@\($0.iteration)" } == ["mm@0", "mm@1", "vl@0", "vl@1", "vl@2"])
        #expect(report.benchmarks == ["mm", "vl"])
        #expect(report.references.random["vl"]?.macro == 0.5 && report.references.longer["mm"]?.macro == 0.55)
        #expect(report.references.oracle.isEmpty)
    }

    @Test func gainIsLastMinusFirstAndGapClosedIsItsShareOfTheOracleGap() throws {
        let report = try LoopReport.build(evals: [eval("vl", 0, macro: 0.5), eval("vl", 2, macro: 0.6), eval("vl", 1, macro: 0.55)],
                                          oracle: [eval("vl", 2, macro: 0.9), eval("vl", 1, macro: 0.8)])
        let gain = try #require(report.gain["vl"])
        #expect(abs(gain.macro - 0.1) < 1e-12)
        // The oracle arm's highest iteration is the reference: (0.6 − 0.5) / (0.9 − 0.5).
        #expect(report.references.oracle["vl"]?.macro == 0.9)
        #expect(abs((gain.gapClosed ?? 0) - 0.25) < 1e-12)
    }

    @Test func gapClosedIsNullWithoutAnOracleForTheBenchmark() throws {
        let report = try LoopReport.build(evals: [eval("vl", 0, macro: 0.5), eval("vl", 1, macro: 0.6), eval("mm", 0, macro: 0.5)],
                                          oracle: [eval("mm", 0, macro: 0.8)])
        #expect(report.gain["vl"]?.gapClosed == nil)
        #expect(report.gain["mm"]?.gapClosed == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json())) as? [String: Any])
        let vl = try #require((json["gain"] as? [String: Any])?["vl"] as? [String: Any])
        #expect(vl["gap_closed"] is NSNull)
        #expect((json["references"] as? [String: Any])?["oracle"] as? [String: Any] != nil)
    }

    @Test func twoEvalsClaimingOneIterationAreAnErrorThatNamesTheFix() {
        #expect(throws: LoopReport.Failure.duplicateIteration(benchmark: "vl", iteration: 0)) {
            try LoopReport.build(evals: [eval("vl", 0, macro: 0.5), eval("vl", nil, macro: 0.6)])
        }
        #expect(LoopReport.Failure.duplicateIteration(benchmark: "vl", iteration: 0).description.contains("iteration: \"${i}\""))
        #expect(throws: LoopReport.Failure.noEvaluations) { try LoopReport.build(evals: []) }
    }

    @Test func metricsWithoutBenchmarkOrIterationAreIterationZeroOfAnUnnamedBenchmark() throws {
        let report = try LoopReport.build(evals: [eval(nil, nil, macro: 0.5)])
        #expect(report.iterations.map(\.benchmark) == [LoopReport.unnamedBenchmark])
        #expect(report.iterations.map(\.iteration) == [0])
    }

    @Test func keptStatsAreNumberedFromIterationOneWithTheirFraction() throws {
        let report = try LoopReport.build(evals: [eval("vl", 0, macro: 0.5)], kept: [
            ["count": .init(pairs: 10, kept: 4), "caption": .init(pairs: 30, kept: 6)],
            [:],
        ])
        #expect(report.kept.map(\.iteration) == [1, 2])
        #expect(report.kept[0].pairs == 40 && report.kept[0].kept == 10 && report.kept[0].fraction == 0.25)
        #expect(report.kept[1].pairs == 0 && report.kept[1].fraction == 0)
    }

    @Test func jsonIsTheSameBytesWhateverTheInputOrderAndUsesTheDocumentedKeys() throws {
        let evals = [eval("vl", 0, macro: 0.5), eval("vl", 1, macro: 0.6), eval("mm", 0, macro: 0.7)]
        let a = try LoopReport.build(evals: evals, kept: [["count": .init(pairs: 2, kept: 1)]]).json()
        let b = try LoopReport.build(evals: evals.reversed(), kept: [["count": .init(pairs: 2, kept: 1)]]).json()
        #expect(a == b)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(a)) as? [String: Any])
        #expect(json.keys.sorted() == ["gain", "iterations", "kept", "references", "version"])
        let row = try #require((json["iterations"] as? [[String: Any]])?.first)
        #expect(row.keys.sorted() == ["benchmark", "categories", "items", "iteration", "macro", "overall", "position_consistency", "unparseable"])
        let kept = try #require((json["kept"] as? [[String: Any]])?.first)
        #expect(kept.keys.sorted() == ["families", "fraction", "iteration", "kept", "pairs"])
        #expect(try LoopReport.build(evals: evals).json().last == UInt8(ascii: "\n"))
    }
}
