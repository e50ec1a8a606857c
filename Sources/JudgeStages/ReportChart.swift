import Foundation

/// `chart.svg`, after the paper's Figure 2: one panel per benchmark with the judge's macro accuracy by
/// iteration as a line, and dashed horizontal lines for the random, longer-response and oracle judges.
/// Hand-written SVG text with coordinates rounded to 0.1 px, so the same report is the same bytes.
///
/// Every panel shares the axes: x spans the report's iterations, y spans 0.3–1.0, extended down in steps
/// of 0.1 when a value falls below 0.3. Element classes (`panel`, `judge`, `reference random`, …) name
/// what each mark shows.
public enum ReportChart {
    static let panelWidth = 360.0, panelHeight = 270.0
    static let left = 56.0, right = 20.0, top = 40.0, bottom = 50.0
    static let legendHeight = 34.0
    /// Series in legend order, with colour and dash pattern (nil = solid).
    static let series: [(name: String, colour: String, dash: String?)] = [
        ("judge", "#1f77b4", nil), ("random", "#7f7f7f", "6 4"), ("longer", "#ff7f0e", "6 4"), ("oracle", "#2ca02c", "6 4"),
    ]

    /// The plot's data ranges, shared by every panel.
    struct Scale {
        var xMin: Int, xMax: Int, yMin: Double, yMax: Double

        init(_ report: LoopReport) {
            let iterations = report.iterations.map(\.iteration)
            xMin = iterations.min() ?? 0
            xMax = max(iterations.max() ?? 1, xMin + 1)
            let refs = [report.references.random, report.references.longer, report.references.oracle].flatMap(\.values).map(\.macro)
            let values = report.iterations.map(\.macro) + refs
            yMin = max(0, min(0.3, ((values.min() ?? 0.3) * 10).rounded(.down) / 10))
            yMax = max(1.0, ((values.max() ?? 1) * 10).rounded(.up) / 10)
        }

        func x(_ iteration: Int) -> Double {
            left + Double(iteration - xMin) / Double(xMax - xMin) * (panelWidth - left - right)
        }

        func y(_ accuracy: Double) -> Double {
            panelHeight - bottom - (accuracy - yMin) / (yMax - yMin) * (panelHeight - top - bottom)
        }
    }

    public static func svg(_ report: LoopReport) -> String {
        let scale = Scale(report)
        let benchmarks = report.benchmarks
        let width = panelWidth * Double(max(1, benchmarks.count)), height = panelHeight + legendHeight
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
                       + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"11\">",
                   "<title>Judge macro accuracy by iteration</title>",
                   "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"]
        for (n, benchmark) in benchmarks.enumerated() {
            out += panel(report, benchmark, scale: scale, offset: panelWidth * Double(n))
        }
        out += legend(showOracle: !report.references.oracle.isEmpty)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    static func panel(_ report: LoopReport, _ benchmark: String, scale: Scale, offset: Double) -> [String] {
        let x0 = left, x1 = panelWidth - right, y0 = top, y1 = panelHeight - bottom
        var out = ["<g class=\"panel\" transform=\"translate(\(f(offset)),0)\">",
                   "<text class=\"title\" x=\"\(f((x0 + x1) / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"13\" "
                       + "font-weight=\"bold\">\(escaped(benchmark))</text>"]
        let firstTenth = Int((scale.yMin * 10).rounded()), lastTenth = Int((scale.yMax * 10).rounded())
        for tenth in firstTenth...lastTenth {
            let y = f(scale.y(Double(tenth) / 10))
            out.append("<line class=\"grid\" x1=\"\(f(x0))\" y1=\"\(y)\" x2=\"\(f(x1))\" y2=\"\(y)\" stroke=\"#e6e6e6\"/>")
            out.append("<text x=\"\(f(x0 - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                       + String(format: "%.1f", Double(tenth) / 10) + "</text>")
        }
        let step = max(1, (scale.xMax - scale.xMin + 9) / 10)
        for iteration in stride(from: scale.xMin, through: scale.xMax, by: step) {
            let x = f(scale.x(iteration))
            out.append("<line x1=\"\(x)\" y1=\"\(f(y1))\" x2=\"\(x)\" y2=\"\(f(y1 + 4))\" stroke=\"#000000\"/>")
            out.append("<text x=\"\(x)\" y=\"\(f(y1 + 16))\" text-anchor=\"middle\">\(iteration)</text>")
        }
        out += ["<line class=\"axis\" x1=\"\(f(x0))\" y1=\"\(f(y1))\" x2=\"\(f(x1))\" y2=\"\(f(y1))\" stroke=\"#000000\"/>",
                "<line class=\"axis\" x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x0))\" y2=\"\(f(y1))\" stroke=\"#000000\"/>",
                "<text class=\"axis-label\" x=\"\(f((x0 + x1) / 2))\" y=\"\(f(panelHeight - 14))\" text-anchor=\"middle\">iteration</text>",
                "<text class=\"axis-label\" transform=\"translate(14,\(f((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">"
                    + "macro accuracy</text>"]
        let references = [("random", report.references.random), ("longer", report.references.longer), ("oracle", report.references.oracle)]
        for (name, byBenchmark) in references {
            guard let accuracy = byBenchmark[benchmark], let style = series.first(where: { $0.name == name }) else { continue }
            let y = f(scale.y(accuracy.macro))
            out.append("<line class=\"reference \(name)\" x1=\"\(f(x0))\" y1=\"\(y)\" x2=\"\(f(x1))\" y2=\"\(y)\" "
                       + "stroke=\"\(style.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"\(style.dash ?? "")\"/>")
        }
        let points = report.iterations.filter { $0.benchmark == benchmark }.map { (x: scale.x($0.iteration), y: scale.y($0.macro)) }
        let judge = series[0].colour
        out.append("<polyline class=\"judge\" fill=\"none\" stroke=\"\(judge)\" stroke-width=\"2\" points=\""
                   + points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") + "\"/>")
        for point in points {
            out.append("<circle cx=\"\(f(point.x))\" cy=\"\(f(point.y))\" r=\"3\" fill=\"\(judge)\"/>")
        }
        out.append("</g>")
        return out
    }

    static func legend(showOracle: Bool) -> [String] {
        var out = ["<g class=\"legend\" transform=\"translate(\(f(left)),\(f(panelHeight + 8)))\">"]
        var x = 0.0
        for entry in series where entry.name != "oracle" || showOracle {
            let label = entry.name == "judge" ? "judge (macro)" : entry.name
            out.append("<line x1=\"\(f(x))\" y1=\"10\" x2=\"\(f(x + 24))\" y2=\"10\" stroke=\"\(entry.colour)\" stroke-width=\"2\""
                       + (entry.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
            out.append("<text x=\"\(f(x + 30))\" y=\"10\" dominant-baseline=\"middle\">\(label)</text>")
            x += 40 + Double(label.count) * 6.5
        }
        out.append("</g>")
        return out
    }

    /// A coordinate with one decimal (locale-independent).
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Text safe inside an SVG element or attribute.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
