import Foundation
import JudgeEval

/// The self-improvement loop's results as one value: the judge's metrics per benchmark and iteration, the
/// reference judges (random, longer response, oracle), the traces kept per iteration, and the gain from
/// the first iteration to the last. Built purely from decoded `judge.eval` metrics and `judge.traces`
/// stats; the `report` node reads the files and writes this value as JSON, Markdown
/// (LoopReport+Markdown.swift) and an SVG chart (ReportChart.swift).
///
/// Invariants: `iterations` is sorted by benchmark, then iteration, with one row per pair; every
/// benchmark of `iterations` has a `random`, a `longer` and a `gain` entry; `kept` is in iteration order.
public struct LoopReport: Codable, Sendable, Equatable {
    /// `report.json`'s format version.
    public static let formatVersion = 1
    public var version = LoopReport.formatVersion
    public var iterations: [Row]
    public var references: References
    public var kept: [KeptRow]
    /// Benchmark → the change from its lowest iteration to its highest.
    public var gain: [String: Gain]

    /// The judge of one iteration on one benchmark.
    public struct Row: Codable, Sendable, Equatable {
        public var iteration: Int
        public var benchmark: String
        public var overall: Double
        public var macro: Double
        public var categories: [String: Double]
        public var positionConsistency: Double
        public var unparseable: Int
        public var items: Int
        /// Accuracy per kind of error (`BenchmarkMetrics.kinds`); nil when the benchmark names none.
        public var kinds: [String: Double]?

        enum CodingKeys: String, CodingKey {
            case iteration, benchmark, overall, macro, categories, unparseable, items, kinds
            case positionConsistency = "position_consistency"
        }

        /// Share of the 2·items judgements (both orders) whose verdict could be read; nil with no items.
        public var parseRate: Double? { items == 0 ? nil : Double(2 * items - unparseable) / Double(2 * items) }
    }

    /// A reference judge's accuracies on one benchmark.
    public struct Accuracy: Codable, Sendable, Equatable {
        public var macro: Double
        public var overall: Double
        public var categories: [String: Double]
        public var kinds: [String: Double]?

        public init(_ metrics: BenchmarkMetrics) {
            macro = metrics.macro
            overall = metrics.overall
            categories = metrics.categories
            kinds = metrics.kinds
        }
    }

    /// Reference judge → benchmark → accuracies. `oracle` is empty when no oracle metrics were given.
    public struct References: Codable, Sendable, Equatable {
        public var random: [String: Accuracy]
        public var longer: [String: Accuracy]
        public var oracle: [String: Accuracy]
    }

    /// One question family's line of `judge.traces`' `stats.json`.
    public struct FamilyCounts: Codable, Sendable, Equatable {
        public var pairs: Int
        public var kept: Int
        public init(pairs: Int, kept: Int) {
            self.pairs = pairs
            self.kept = kept
        }
    }

    /// What the trace filter kept in one iteration.
    public struct KeptRow: Codable, Sendable, Equatable {
        public var iteration: Int
        public var pairs: Int
        public var kept: Int
        /// kept / pairs; 0 when there were no pairs.
        public var fraction: Double
        public var families: [String: FamilyCounts]
    }

    public struct Gain: Codable, Sendable, Equatable {
        /// Macro accuracy of the last iteration minus that of the first.
        public var macro: Double
        /// (last − first) / (oracle − first): the share of the gap to the oracle the loop closed; nil without
        /// an oracle for the benchmark or when the oracle scores the same as the first iteration.
        public var gapClosed: Double?

        enum CodingKeys: String, CodingKey {
            case macro
            case gapClosed = "gap_closed"
        }

        public init(macro: Double, gapClosed: Double?) {
            self.macro = macro
            self.gapClosed = gapClosed
        }

        /// Writes `gap_closed: null` rather than leaving the key out, so the JSON's shape never varies.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(macro, forKey: .macro)
            try container.encode(gapClosed, forKey: .gapClosed)
        }
    }

    /// Why a report cannot be built.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case noEvaluations
        case duplicateIteration(benchmark: String, iteration: Int)

        public var description: String {
            switch self {
            case .noEvaluations:
                "report: `evals` lists no judge.eval metrics; hint: write inputs: {evals: [eval0, \"eval@*\"]}"
            case .duplicateIteration(let benchmark, let iteration):
                "report: two evals of \(benchmark) claim iteration \(iteration); "
                    + "hint: set `iteration: \"${i}\"` on the repeated judge.eval (its default is 0)"
            }
        }
    }

    /// Metrics written before judge.eval version 2 carry no benchmark name; they are grouped under this one.
    public static let unnamedBenchmark = "benchmark"

    /// The report of `evals` (any benchmarks and iterations), `oracle` (the oracle arm's metrics, matched to
    /// benchmarks by name; of several for one benchmark the highest iteration counts, the later one on a
    /// tie) and `kept` (the i-th, counting from 1, is iteration i's stats).
    public static func build(evals: [EvalReport], oracle: [EvalReport] = [],
                             kept: [[String: FamilyCounts]] = []) throws(Failure) -> LoopReport {
        guard !evals.isEmpty else { throw .noEvaluations }
        let sorted = evals.map { (benchmark: $0.benchmark ?? unnamedBenchmark, iteration: $0.iteration ?? 0, report: $0) }
            .sorted { ($0.benchmark, $0.iteration) < ($1.benchmark, $1.iteration) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.benchmark == b.benchmark && a.iteration == b.iteration {
            throw .duplicateIteration(benchmark: a.benchmark, iteration: a.iteration)
        }
        let rows = sorted.map { e in
            Row(iteration: e.iteration, benchmark: e.benchmark, overall: e.report.judge.overall, macro: e.report.judge.macro,
                categories: e.report.judge.categories, positionConsistency: e.report.judge.positionConsistency,
                unparseable: e.report.judge.unparseable, items: e.report.judge.items, kinds: e.report.judge.kinds)
        }
        var references = References(random: [:], longer: [:], oracle: [:])
        for e in sorted.reversed() {   // the lowest iteration's references win (all agree: same items, same seed)
            references.random[e.benchmark] = Accuracy(e.report.random)
            references.longer[e.benchmark] = Accuracy(e.report.longer)
        }
        let oracleRuns = oracle.enumerated().map { (benchmark: $1.benchmark ?? unnamedBenchmark, iteration: $1.iteration ?? 0, order: $0, report: $1) }
        for o in oracleRuns.sorted(by: { ($0.iteration, $0.order) < ($1.iteration, $1.order) }) {
            references.oracle[o.benchmark] = Accuracy(o.report.judge)
        }
        var gain: [String: Gain] = [:]
        for (benchmark, group) in Dictionary(grouping: rows, by: \.benchmark) {
            let first = group.min { $0.iteration < $1.iteration }!, last = group.max { $0.iteration < $1.iteration }!
            let change = last.macro - first.macro
            let gap = references.oracle[benchmark].map { $0.macro - first.macro }
            gain[benchmark] = Gain(macro: change, gapClosed: gap.flatMap { $0 == 0 ? nil : change / $0 })
        }
        let keptRows = kept.enumerated().map { n, families in
            let pairs = families.values.reduce(0) { $0 + $1.pairs }, count = families.values.reduce(0) { $0 + $1.kept }
            return KeptRow(iteration: n + 1, pairs: pairs, kept: count, fraction: pairs == 0 ? 0 : Double(count) / Double(pairs),
                           families: families)
        }
        return LoopReport(iterations: rows, references: references, kept: keptRows, gain: gain)
    }

    /// Benchmarks in report order.
    public var benchmarks: [String] {
        var seen: Set<String> = []
        return iterations.map(\.benchmark).filter { seen.insert($0).inserted }
    }

    /// Pretty-printed JSON with sorted keys and a final newline: the same report is the same bytes.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
