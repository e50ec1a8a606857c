import Testing
import WorkflowSpec

@Suite struct YAMLReaderTests {
    @Test func aliasesCopyTheAnchoredNodeAndMergeKeysApply() throws {
        let tree = try YAMLReader.parse("""
        base: &defaults
          lr: 0.1
          steps: 10
        arm:
          <<: *defaults
          steps: 20
        copy: *defaults
        """, file: "w.yaml")
        #expect(tree["arm"]?["lr"]?.text == "0.1")
        #expect(tree["arm"]?["steps"]?.text == "20")
        #expect(tree["copy"]?["steps"]?.text == "10")
    }

    @Test func blockFlowAndMultilineScalarsParse() throws {
        let tree = try YAMLReader.parse("""
        flow: {a: 1, b: [x, y]}
        literal: |
          line one
          line two
        folded: >
          folded
          text
        """, file: "w.yaml")
        #expect(tree["flow"]?["b"]?.items?.count == 2)
        #expect(tree["literal"]?.text == "line one\nline two\n")
        #expect(tree["folded"]?.text == "folded text")
    }

    @Test func locationsAreOneBased() throws {
        let tree = try YAMLReader.parse("a:\n  b: 3\n", file: "w.yaml")
        let entry = try #require(tree["a"]?.entries?.first)
        #expect(entry.keyLocation == SourceLocation(file: "w.yaml", line: 2, column: 3))
        #expect(entry.value.location.column == 6)
    }

    @Test func unknownAliasIsALocatedError() {
        #expect(throws: SpecError.self) { try YAMLReader.parse("a: 1\nb: *nope\n", file: "w.yaml") }
        do { _ = try YAMLReader.parse("a: 1\nb: *nope\n", file: "w.yaml") } catch {
            #expect(error.diagnostics.first?.location == SourceLocation(file: "w.yaml", line: 2, column: 4))
        }
    }

    @Test func duplicateKeysAreRejectedWithBothPlaces() {
        do {
            _ = try YAMLReader.parse("a: 1\nb: 2\na: 3\n", file: "w.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("w.yaml:3:1: error: duplicate key 'a' (first defined at w.yaml:1:1)"))
        }
    }

    @Test func syntaxErrorsPointAtTheProblem() {
        do {
            _ = try YAMLReader.parse("a: [1, 2\nb: 3\n", file: "w.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.location.file == "w.yaml")
            #expect(error.diagnostics.first?.message.hasPrefix("YAML syntax") == true)
        }
    }
}
