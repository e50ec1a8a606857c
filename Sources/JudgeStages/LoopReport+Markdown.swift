import Foundation

/// `report.md`: per benchmark, a table with one row per iteration and rows for the oracle, random and
/// longer-response judges, then the gain; then the traces kept per iteration and question family.
/// A value that does not exist (no oracle, a category a judge never saw) is shown as `—`.
extension LoopReport {
    public func markdown() -> String {
        var lines = ["# Self-improvement loop report", ""]
        for benchmark in benchmarks {
            lines += benchmarkSection(benchmark) + [""]
        }
        lines += keptSection()
        return lines.joined(separator: "\n") + "\n"
    }

    func benchmarkSection(_ benchmark: String) -> [String] {
        let rows = iterations.filter { $0.benchmark == benchmark }
        let oracle = references.oracle[benchmark], random = references.random[benchmark], longer = references.longer[benchmark]
        var categorySet = Set(rows.flatMap(\.categories.keys))
        for reference in [oracle, random, longer].compactMap({ $0 }) { categorySet.formUnion(reference.categories.keys) }
        let categories = categorySet.sorted()
        let header = ["judge"] + categories + ["macro", "overall", "position consistency", "parse rate"]
        var lines = ["## \(benchmark)", "", Self.tableRow(header), Self.tableRow(header.map { _ in "---" })]
        for row in rows {
            lines.append(Self.tableRow(["iteration \(row.iteration)"] + categories.map { Self.number(row.categories[$0]) }
                                       + [Self.number(row.macro), Self.number(row.overall), Self.number(row.positionConsistency),
                                          Self.number(row.parseRate)]))
        }
        for (name, reference) in [("oracle", oracle), ("random", random), ("longer", longer)] {
            lines.append(Self.tableRow([name] + categories.map { Self.number(reference?.categories[$0]) }
                                       + [Self.number(reference?.macro), Self.number(reference?.overall), "—", "—"]))
        }
        if let gain = gain[benchmark], let first = rows.first, let last = rows.last {
            let gap: String
            if let closed = gain.gapClosed {
                gap = String(format: "%.1f%% of the gap to the oracle closed", closed * 100)
            } else {
                gap = oracle == nil ? "no oracle to measure the gap against" : "the oracle scores the same as iteration \(first.iteration)"
            }
            lines += ["", "Gain, iteration \(first.iteration) → \(last.iteration): macro " + String(format: "%+.3f", gain.macro) + "; \(gap)."]
        }
        return lines
    }

    func keptSection() -> [String] {
        var lines = ["## Kept traces", ""]
        guard !kept.isEmpty else { return lines + ["No `judge.traces` stats were given."] }
        let families = Set(kept.flatMap(\.families.keys)).sorted()
        let header = ["iteration"] + families + ["kept fraction"]
        lines += [Self.tableRow(header), Self.tableRow(header.map { _ in "---" })]
        for row in kept {
            let cells = families.map { f in row.families[f].map { "\($0.kept)/\($0.pairs)" } ?? "—" }
            lines.append(Self.tableRow(["\(row.iteration)"] + cells + [String(format: "%.3f (%d/%d)", row.fraction, row.kept, row.pairs)]))
        }
        return lines
    }

    /// A Markdown table row; a `|` inside a cell (say, in a category name) is escaped.
    static func tableRow(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
    }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
}
