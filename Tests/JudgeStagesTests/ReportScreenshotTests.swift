import Foundation
import JudgeStages
import SyntheticWorld
import Testing

/// `report.html` opened in a real headless browser (Chromium; `.ci/run` installs it, `JUDGEFLOW_BROWSER`
/// names another binary), its screenshot decoded and checked: the page is as wide as the window, the
/// chart's judge line is drawn in its colour and the tables' text is there. Without a browser the test
/// fails and says so.
@Suite struct ReportScreenshotTests {
    static func browser() -> String? {
        if let named = ProcessInfo.processInfo.environment["JUDGEFLOW_BROWSER"], !named.isEmpty { return named }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    @Test func reportPageRendersItsChartAndTablesInAHeadlessBrowser() throws {
        guard let browser = Self.browser() else {
            Issue.record(Comment(rawValue: "NO BROWSER: no chromium on PATH and JUDGEFLOW_BROWSER unset, so report.html was not "
                                 + "opened in a browser. Install Debian's chromium (.ci/run does)."))
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-shot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(try sampleReport().html().utf8).write(to: URL(fileURLWithPath: directory + "/report.html"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=900,1300",
                             "--user-data-dir=\(directory)/profile", "--screenshot=\(directory)/shot.png", "file://\(directory)/report.html"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(browser) exited with \(process.terminationStatus)")
        let bytes = try #require(FileManager.default.contents(atPath: directory + "/shot.png"), "no screenshot written")
        let image = try PNG.decode([UInt8](bytes))
        #expect(image.width == 900 && image.height == 1300)
        var line = 0, dark = 0, white = 0
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2]))
            if abs(r - 0x1f) < 12 && abs(g - 0x77) < 12 && abs(b - 0xb4) < 12 { line += 1 }
            if r + g + b < 200 { dark += 1 }
            if r + g + b > 750 { white += 1 }
        }
        #expect(line > 150, "the judge's line (#1f77b4) covers \(line) pixels")
        #expect(dark > 2000, "text and axes cover \(dark) dark pixels")
        #expect(white > image.width * image.height / 2, "a white page")
    }
}
