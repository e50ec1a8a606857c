import Foundation
@testable import JudgeEval
import Testing

/// Bad release files give an error naming the line and record and saying what to do — never a crash.
@Suite struct MalformedImportTests {
    static let png: String = "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAIklEQVR4nGOUOyHHQA3ARBVTRg0aNWjUoFGDRg0aNYgiAACc2QE0mXU3WQAAAABJRU5ErkJggg=="

    func tsv(_ rows: String...) -> [UInt8] {
        Array((["index\tquestion\timage\tresponse\tanswer\tcategory"] + rows).joined(separator: "\n").utf8)
    }

    func row(_ index: String, image: String = png, response: String = "['a', 'b']", answer: String = "[0, 1]") -> String {
        "\(index)\tq\t\(image)\t\(response)\t\(answer)\tgeneral"
    }

    @Test func badTSVRowsNameTheirLineAndRecord() {
        let cases: [(bytes: [UInt8], place: BenchmarkImport.Failure.Place, says: String)] = [
            (tsv(row("0"), "1\tq"), .line(3), "2 columns, but the header has 6"),
            (tsv(row("0"), "1\t\"q\t" + Self.png), .line(3), "quoted field is not closed"),
            (tsv(row("0"), row("1", response: "a, b")), .record(2, line: 3), "`response` is not a list literal"),
            (tsv(row("0", response: "['only one']")), .record(1, line: 2), "exactly two strings, not 1"),
            (tsv(row("0"), row("1", answer: "[1, 1]")), .record(2, line: 3), "not [0, 1] or [1, 0]"),
            (tsv(row("0", image: String(repeating: "A", count: 80) + "!")), .record(1, line: 2), "not base64"),
            (tsv(row("0", image: Data(repeating: 7, count: 90).base64EncodedString())), .record(1, line: 2), "not PNG, JPEG"),
            (tsv(row("0", image: "9")), .record(1, line: 2), "names no row with an image"),
            (tsv(row("0", image: "['\(Self.png)', '\(Self.png)']")), .record(1, line: 2), "several images"),
            (tsv(row("0"), row("0")), .record(2, line: 3), "id '0' was already used on line 2"),
            (Array("index\tquestion\timage\tresponse\tcategory\n0\tq\tx\t['a', 'b']\tgeneral".utf8), .line(1), "no `answer` or `human_ranking` column"),
            (tsv(row("0")) + [0xFF, 0xFE], .line(2), "not valid UTF-8"),
        ]
        for c in cases {
            let failure = importFailure(c.bytes)
            #expect(failure?.place == c.place, "\(c.says): \(String(describing: failure))")
            #expect(failure?.message.contains(c.says) == true, "\(c.says): \(String(describing: failure))")
        }
    }

    @Test func badJSONRecordsNameTheirLineAndRecord() {
        let good = #"{"id":"RLAIF-V-1","query":"q","response":["a","b"],"human_ranking":[0,1],"image":"\#(Self.png)"}"#
        let lines: [(text: String, place: BenchmarkImport.Failure.Place, says: String)] = [
            (good + "\n\n{\"id\": ", .line(3), "not a JSON object"),
            (good + "\n" + good.replacingOccurrences(of: "[0,1]", with: "\"first\""), .record(2, line: 2), "`human_ranking` must be a list"),
            (good + "\n" + good.replacingOccurrences(of: #""response":["a","b"]"#, with: #""response":"ab""#), .record(2, line: 2), "exactly two strings"),
            (good.replacingOccurrences(of: Self.png, with: "../../etc/passwd"), .record(1, line: 1), "not a relative path inside"),
            (good.replacingOccurrences(of: #","image":"\#(Self.png)""#, with: ""), .record(1, line: 1), "no `image`"),
            (#"{"a": 1}"#, .record(1, line: 1), "cannot tell which benchmark"),
        ]
        for c in lines {
            let failure = importFailure(Array(c.text.utf8))
            #expect(failure?.place == c.place, "\(c.says): \(String(describing: failure))")
            #expect(failure?.message.contains(c.says) == true, "\(c.says): \(String(describing: failure))")
        }
    }

    @Test func badMultimodalElementsNameTheLineTheyStartOn() throws {
        let original = String(decoding: try fixture("multimodal-rewardbench/all_data.json"), as: UTF8.self)
        let text = original.replacingOccurrences(of: #""Better": "Output1""#, with: #""Better": "A""#)
        let failure = try #require(importFailure(Array(text.utf8)))
        // The second element of the indent=2 array starts on line 11.
        #expect(failure.place == .record(2, line: 11))
        #expect(failure.rendered(source: "all_data.json").hasPrefix("all_data.json:11:1: error: record 2: `Better` must be"))
        let empty = original.replacingOccurrences(of: #""Text": "Question: what is the value of x?""#, with: #""Text": """#)
        #expect(importFailure(Array(empty.utf8))?.hint?.contains("0_download_data.py") == true)
        let escaping = original.replacingOccurrences(of: "images/pairs/4.png", with: "/etc/passwd")
        #expect(importFailure(Array(escaping.utf8))?.message.contains("not a relative path") == true)
        #expect(importFailure(Array("[1, 2]".utf8))?.place == .record(1, line: 1))
        #expect(importFailure(Array("[{\"ID\": ".utf8))?.place == .file)
    }

    @Test func limitsAreCheckedBeforeTheInputIsUsed() throws {
        var small = BenchmarkImport.Limits()
        small.imageBytes = 100
        #expect(importFailure(try fixture("vl-rewardbench/vl_rewardbench.tsv"), limits: small)?.message.contains("larger than 100 bytes") == true)
        small = BenchmarkImport.Limits()
        small.items = 2
        #expect(importFailure(try fixture("multimodal-rewardbench/all_data.json"), limits: small)?.message.contains("more than 2 records") == true)
        #expect(importFailure(try fixture("vl-rewardbench/vl-rewardbench.jsonl"), limits: small)?.message.contains("more than 2 records") == true)
        small = BenchmarkImport.Limits()
        small.textBytes = 10
        #expect(importFailure(try fixture("vl-rewardbench/vl-rewardbench.jsonl"), limits: small)?.message.contains("longer than 10 bytes") == true)
        small = BenchmarkImport.Limits()
        small.fileBytes = 1_000
        #expect(importFailure(try fixture("vl-rewardbench/vl_rewardbench.tsv"), limits: small)?.place == .file)
    }

    /// Every prefix of every fixture either imports or fails with a located error.
    @Test func everyTruncationOfTheReleasedFilesFailsCleanly() throws {
        for name in ["vl-rewardbench/vl_rewardbench.tsv", "vl-rewardbench/vl-rewardbench.jsonl", "multimodal-rewardbench/all_data.json"] {
            let bytes = try fixture(name)
            for end in stride(from: 0, to: bytes.count, by: 7) {
                _ = importFailure(Array(bytes[..<end]))
            }
        }
    }
}
