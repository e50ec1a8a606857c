import Testing
import WorkflowSpec

/// A lock file is canonical JSON read back through the YAML reader: every string must come back as itself.
@Suite struct CanonicalJSONRoundTripTests {
    @Test(arguments: ["echo a\u{85}b", "echo a\u{7f}b", "a\u{2028}b\u{2029}c", "\u{feff}x", "tab\tnl\ncr\r", "é ü 日本", "q\"b\\s", "\u{9f}\u{a0}"])
    func everyStringSurvivesTheLockFilesEncoding(_ text: String) throws {
        let json = Value.map(["cmd": .string(text)]).canonicalJSON
        let tree = try YAMLReader.parse(json, file: "x.lock")
        #expect(tree["cmd"]?.text == text)
    }

    @Test func printableTextIsEncodedAsBefore() {
        #expect(Value.string("plain text é").canonicalJSON == "\"plain text é\"")
    }
}
