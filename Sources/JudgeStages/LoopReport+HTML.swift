import Foundation

/// `report.html`: the report as one self-contained page — the chart (`chart.svg`, inline) and the same
/// tables as `report.md` — with no script, no external file and no font beyond the browser's own, so it
/// opens from disk anywhere. Every text is HTML-escaped; the same report is the same bytes.
extension LoopReport {
    public func html() -> String {
        // The chart without its XML declaration, which has no place inside HTML.
        let svg = ReportChart.svg(self)
        let chart = svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }.dropFirst()) : svg
        var body = ["<h1>Self-improvement loop report</h1>", "<figure>" + chart + "</figure>"]
        for benchmark in benchmarks {
            body.append("<section class=\"benchmark\"><h2>\(Self.escaped(benchmark))</h2>")
            body.append(Self.html(categoryTable(benchmark), caption: "Accuracy by category, both response orders"))
            if let gain = gainSentence(benchmark) { body.append("<p class=\"gain\">\(Self.escaped(gain))</p>") }
            if let kinds = kindTable(benchmark) { body.append(Self.html(kinds, caption: "Accuracy by kind of error")) }
            body.append("</section>")
        }
        body.append("<section class=\"kept\"><h2>Kept traces</h2>")
        body.append(keptTable().map { Self.html($0, caption: "Kept / synthetic pairs per question family") } ?? "<p>No judge.traces stats were given.</p>")
        body.append("</section>")
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Self-improvement loop report</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; max-width: 80em; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #f4f6f8; }
        figure { margin: 0; }
        </style></head>
        <body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    static func html(_ table: Table, caption: String) -> String {
        let head = "<tr>" + table.header.map { "<th>\(escaped($0))</th>" }.joined() + "</tr>"
        let rows = table.rows.map { row in
            "<tr>" + row.enumerated().map { i, cell in
                i == 0 ? "<th scope=\"row\">\(escaped(cell))</th>" : "<td class=\"number\">\(escaped(cell))</td>"
            }.joined() + "</tr>"
        }
        return "<table><caption>\(escaped(caption))</caption><thead>\(head)</thead><tbody>\n" + rows.joined(separator: "\n") + "\n</tbody></table>"
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
