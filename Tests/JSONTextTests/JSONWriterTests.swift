import Foundation
import JSONText
import Testing

/// The writer against Foundation's `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) as the
/// reference: a chat request's bytes name its stored response, so they must not change with the writer.
struct JSONWriterTests {
    struct Mirror: Encodable {
        var text: String
        var number: Double
        var whole: Int
        var big: UInt64
        var flag: Bool
        var list: [String]
        var nested: [String: Double]
    }

    func written(_ m: Mirror) -> [UInt8] {
        JSONValue.object([
            ("text", .string(m.text)), ("number", .double(m.number)), ("whole", .int(m.whole)), ("big", .int(m.big)),
            ("flag", .bool(m.flag)), ("list", .array(m.list.map(JSONValue.string))),
            ("nested", .object(m.nested.map { ($0.key, .double($0.value)) })),
        ]).bytes()
    }

    @Test func writesTheBytesJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let every = String(String.UnicodeScalarView((0..<128).compactMap(Unicode.Scalar.init)))
        let texts = [every, "", "plain", "a/b\\c\"d", "é ü 中文 🎉 \u{2028}", "data:image/png;base64,iVBORw0KGgo+/="]
        let numbers = [0, 1, -1, 0.6, 0.1, 1e-5, 1.5e300, -2.25, 123456789.125, 1e21, 5e-324, 0.30000000000000004]
        for (i, text) in texts.enumerated() {
            for number in numbers {
                let m = Mirror(text: text, number: number, whole: i - 3, big: UInt64.max - UInt64(i), flag: i % 2 == 0,
                               list: [text, "x"], nested: ["top_p": number, "a": 1, "B": 2, "_": -0.5])
                let expected = try encoder.encode(m)
                #expect(written(m) == Array(expected), "\(String(decoding: expected, as: UTF8.self))")
            }
        }
    }

    @Test func writtenTextReadsBackAsTheSameValue() {
        let value = JSONValue.object([("b", .array([.null, .bool(false), .number("-1.5e3")])), ("a", .string("line\nbreak \u{1} \"q\""))])
        #expect(JSONValue.parse(value.bytes(sortedKeys: false)) == value)
        #expect(JSONValue.parse(value.bytes())?.fields?.map(\.0) == ["a", "b"])
    }

    @Test func numbersJSONCannotHoldAreWrittenAsNull() {
        #expect(JSONValue.double(.nan) == .null && JSONValue.double(.infinity) == .null)
        #expect(JSONValue.double(2) == .number("2") && JSONValue.double(-0.25) == .number("-0.25"))
    }
}
