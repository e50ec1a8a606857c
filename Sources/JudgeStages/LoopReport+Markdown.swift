import Foundation

/// The report's tables, and `report.md` built from them: per benchmark, a table with one row per
/// iteration and rows for the oracle, random and longer-response judges, then the gain and, when the
/// benchmark names its kinds of error, accuracy per kind (one row per kind, one column per judge); then the
/// traces kept per iteration and question family. A value that does not exist (no oracle, a category a
/// judge never saw) is shown as `—`. `report.html` (LoopReport+HTML.swift) shows the same tables.
extension LoopReport {
    /// A table's header and rows, as text cells.
    public struct Table: Sendable, Equatable {
        public var header: [String]
        public var rows: [[String]]
    }

    public func markdown() -> String {
        var lines = ["# Self-improvement loop report", ""]
        for benchmark in benchmarks {
            lines += ["## \(benchmark)", ""] + Self.markdown(categoryTable(benchmark))
            if let gain = gainSentence(benchmark) { lines += ["", gain] }
            if let kinds = kindTable(benchmark) {
                lines += ["", "By kind of error (the part of each item's `source` after `/`):", ""] + Self.markdown(kinds)
            }
            lines.append("")
        }
        lines += ["## Kept traces", ""]
        if let kept = keptTable() { lines += Self.markdown(kept) } else { lines.append("No `judge.traces` stats were given.") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Judges (iterations, then oracle, random, longer) by categories, macro, overall, position consistency, parse rate.
    func categoryTable(_ benchmark: String) -> Table {
        let rows = iterations.filter { $0.benchmark == benchmark }
        let oracle = references.oracle[benchmark], random = references.random[benchmark], longer = references.longer[benchmark]
        var categorySet = Set(rows.flatMap(\.categories.keys))
        for reference in [oracle, random, longer].compactMap({ $0 }) { categorySet.formUnion(reference.categories.keys) }
        let categories = categorySet.sorted()
        var table = Table(header: ["judge"] + categories + ["macro", "overall", "position consistency", "parse rate"], rows: [])
        for row in rows {
            table.rows.append(["iteration \(row.iteration)"] + categories.map { Self.number(row.categories[$0]) }
                              + [Self.number(row.macro), Self.number(row.overall), Self.number(row.positionConsistency), Self.number(row.parseRate)])
        }
        for (name, reference) in [("oracle", oracle), ("random", random), ("longer", longer)] {
            table.rows.append([name] + categories.map { Self.number(reference?.categories[$0]) }
                              + [Self.number(reference?.macro), Self.number(reference?.overall), "—", "—"])
        }
        return table
    }

    /// "Gain, iteration F → L: macro +x; y% of the gap to the oracle closed." (nil without a gain entry).
    func gainSentence(_ benchmark: String) -> String? {
        let rows = iterations.filter { $0.benchmark == benchmark }
        guard let gain = gain[benchmark], let first = rows.first, let last = rows.last else { return nil }
        let gap: String
        if let closed = gain.gapClosed {
            gap = String(format: "%.1f%% of the gap to the oracle closed", closed * 100)
        } else {
            gap = references.oracle[benchmark] == nil ? "no oracle to measure the gap against" : "the oracle scores the same as iteration \(first.iteration)"
        }
        return "Gain, iteration \(first.iteration) → \(last.iteration): macro " + String(format: "%+.3f", gain.macro) + "; \(gap)."
    }

    /// Accuracy per kind of error: rows are kinds, columns the iterations and the oracle and longer judges;
    /// nil when the benchmark names no kinds.
    func kindTable(_ benchmark: String) -> Table? {
        let rows = iterations.filter { $0.benchmark == benchmark }
        let columns: [(String, [String: Double]?)] = rows.map { ("iteration \($0.iteration)", $0.kinds) }
            + [("oracle", references.oracle[benchmark]?.kinds), ("longer", references.longer[benchmark]?.kinds)]
        let kinds = Set(columns.flatMap { $0.1?.keys.map { $0 } ?? [] }).sorted()
        guard !kinds.isEmpty else { return nil }
        return Table(header: ["kind of error"] + columns.map(\.0), rows: kinds.map { kind in [kind] + columns.map { Self.number($0.1?[kind]) } })
    }

    /// Kept/pairs per question family and iteration; nil without stats.
    func keptTable() -> Table? {
        guard !kept.isEmpty else { return nil }
        let families = Set(kept.flatMap(\.families.keys)).sorted()
        return Table(header: ["iteration"] + families + ["kept fraction"], rows: kept.map { row in
            ["\(row.iteration)"] + families.map { f in row.families[f].map { "\($0.kept)/\($0.pairs)" } ?? "—" }
                + [String(format: "%.3f (%d/%d)", row.fraction, row.kept, row.pairs)]
        })
    }

    static func markdown(_ table: Table) -> [String] {
        [tableRow(table.header), tableRow(table.header.map { _ in "---" })] + table.rows.map(tableRow)
    }

    /// A Markdown table row; a `|` inside a cell (say, in a category name) is escaped.
    static func tableRow(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
    }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
}
