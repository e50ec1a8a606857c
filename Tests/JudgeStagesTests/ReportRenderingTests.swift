import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import JudgeEval
import JudgeStages
import Testing

/// Two benchmarks, three iterations of one, an oracle for one, and a category only the oracle was scored on.
func sampleReport() throws -> LoopReport {
    try LoopReport.build(
        evals: [eval("vl-rewardbench", 0, macro: 0.5), eval("vl-rewardbench", 1, macro: 0.6), eval("vl-rewardbench", 2, macro: 0.65),
                eval("multimodal-rewardbench", 0, macro: 0.55, categories: ["vqa": 0.55, "correctness": 0.55])],
        oracle: [eval("vl-rewardbench", 2, macro: 0.8, categories: ["general": 0.8, "reasoning": 0.8, "hallucination": 0.8])],
        kept: [["count": .init(pairs: 10, kept: 4)], ["count": .init(pairs: 10, kept: 6), "caption": .init(pairs: 5, kept: 5)]])
}

/// Counts elements by name and by `class` attribute while checking that the document parses.
final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String: Int] = [:]
    var classes: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names[name, default: 0] += 1
        if let c = attributes["class"] { classes[c, default: 0] += 1 }
    }
}

@Suite struct ReportRenderingTests {
    @Test func markdownTableHasEveryCategoryIterationAndReferenceRow() throws {
        let md = try sampleReport().markdown()
        #expect(md.contains("## vl-rewardbench") && md.contains("## multimodal-rewardbench"))
        #expect(md.contains("| judge | general | hallucination | reasoning | macro | overall | position consistency | parse rate |"))
        #expect(md.contains("| judge | correctness | vqa | macro |"))
        #expect(md.contains("| iteration 0 | 0.500 | — | 0.500 | 0.500 | 0.500 | 0.750 | 1.000 |"))
        #expect(md.contains("| iteration 2 | 0.650 |"))
        #expect(md.contains("| oracle | 0.800 | 0.800 | 0.800 | 0.800 | 0.800 | — | — |"))
        #expect(md.contains("| random | 0.500 |") && md.contains("| longer | 0.550 |"))
        #expect(md.contains("| oracle | — | — | — | — | — | — |"))
        #expect(md.contains("Gain, iteration 0 → 2: macro +0.150; 50.0% of the gap to the oracle closed."))
        #expect(md.contains("no oracle to measure the gap against"))
        #expect(md.contains("| iteration | caption | count | kept fraction |"))
        #expect(md.contains("| 1 | — | 4/10 | 0.400 (4/10) |") && md.contains("| 2 | 5/5 | 6/10 | 0.733 (11/15) |"))
    }

    @Test func htmlPageHoldsTheChartAndTheMarkdownsTablesAndEscapesNames() throws {
        let report = try sampleReport()
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg ") && !html.contains("<?xml"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained")
        #expect(html.components(separatedBy: "<table>").count - 1 == 3, "two category tables and the kept table")
        #expect(html.contains("<th scope=\"row\">iteration 2</th><td class=\"number\">0.650</td>"))
        #expect(html.contains("Gain, iteration 0 → 2: macro +0.150; 50.0% of the gap to the oracle closed."))
        #expect(html == (try sampleReport()).html())
        let odd = try LoopReport.build(evals: [eval("a<b & \"c\"", 0, macro: 0.5)]).html()
        #expect(odd.contains("<h2>a&lt;b &amp; &quot;c&quot;</h2>"))
    }

    @Test func parseRateCountsBothOrdersOfEveryItem() throws {
        let report = try LoopReport.build(evals: [eval("b", 0, macro: 0.5, unparseable: 5)])
        #expect(report.iterations.first?.parseRate == 0.75)
        #expect(report.markdown().contains("| 0.750 | 0.750 |"))
    }

    @Test func chartHasOneLinePerBenchmarkAndDashedReferenceLines() throws {
        let svg = ReportChart.svg(try sampleReport())
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.names["svg"] == 1)
        #expect(counter.names["polyline"] == 2 && counter.classes["judge"] == 2)
        #expect(counter.classes["panel"] == 2)
        #expect(counter.classes["reference random"] == 2 && counter.classes["reference longer"] == 2)
        #expect(counter.classes["reference oracle"] == 1)
        #expect(svg.contains(">iteration</text>") && svg.contains(">macro accuracy</text>"))
        #expect(svg.contains(">oracle</text>") && svg.contains(">judge (macro)</text>"))
        #expect(svg.components(separatedBy: "stroke-dasharray=\"6 4\"").count - 1 == 5 + 3)
    }

    @Test func chartIsDeterministicAndItsYAxisStartsAtPointThreeUnlessAValueIsLower() throws {
        let report = try sampleReport()
        #expect(ReportChart.svg(report) == ReportChart.svg(try sampleReport()))
        #expect(ReportChart.svg(report).contains(">0.3</text>") && !ReportChart.svg(report).contains(">0.2</text>"))
        let low = try LoopReport.build(evals: [eval("b", 0, macro: 0.12)])
        #expect(ReportChart.svg(low).contains(">0.1</text>") && ReportChart.svg(low).contains(">1.0</text>"))
    }

    @Test func chartEscapesBenchmarkNames() throws {
        let svg = ReportChart.svg(try LoopReport.build(evals: [eval("a<b & \"c\"", 0, macro: 0.5)]))
        #expect(svg.contains("a&lt;b &amp; &quot;c&quot;"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }
}
