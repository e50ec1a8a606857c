import JudgeEval
import Testing

/// The lint flags exactly the items a judge could decide without the image.
@Suite struct BenchmarkLintTests {
    static let vocabulary: [String: [String]] = ["colour": ["red", "blue"], "shape": ["circle", "square"], "size": ["small", "large"],
                                                 "number": ["0", "1", "2", "3"], "other": [".", "a", "in", "row", "column", "yes", "no"]]

    static func item(_ query: String, _ good: String, _ bad: String) -> BenchmarkItem {
        BenchmarkItem(id: "x", category: "c", image: "i.png", query: query, responses: [bad, good], preferred: 1)
    }

    @Test func aCleanItemHasNoFinding() {
        let items = [Self.item("what color is the circle ?", "red", "blue"),
                     Self.item("describe the image .", "a small red circle in row 1 column 2 .", "a small blue circle in row 1 column 2 ."),
                     Self.item("where is the circle ?", "row 1 column 2", "row 2 column 2")]
        #expect(BenchmarkLint.check(items, vocabulary: Self.vocabulary).isEmpty)
    }

    @Test func eachRuleFlagsItsOwnDefect() {
        func rules(_ item: BenchmarkItem, vocabulary: [String: [String]]? = BenchmarkLintTests.vocabulary) -> [BenchmarkLint.Rule] {
            BenchmarkLint.check([item], vocabulary: vocabulary).map(\.rule)
        }
        #expect(rules(Self.item("what color is the circle ?", "red", "purple")) == [.outOfWorld])
        #expect(rules(Self.item("what shape is the red object ?", "circle", "diamond")) == [.outOfWorld])
        #expect(rules(Self.item("what color is the circle ?", "red", "2")) == [.answerType])
        #expect(rules(Self.item("what color is the circle ?", "red", "square")) == [.answerType], "a shape is not a colour")
        #expect(rules(Self.item("is there a red circle ?", "yes", "row 1 column 2")) == [.answerType, .length])
        #expect(rules(Self.item("describe the image .", "a small red circle in row 1 column 2 . a large blue square in row 2 column 2 .",
                                "a small red circle in row 1 column 2 .")) == [.length])
        #expect(rules(Self.item("what color is the circle ?", "red", "purple"), vocabulary: nil).isEmpty,
                "without a vocabulary out-of-world words are not checked")
        #expect(rules(Self.item("q", "The cat sits.", "A dog, running."), vocabulary: nil) == [.length])
    }

    @Test func findingsNameTheirItemInFileOrder() {
        let items = [Self.item("q", "red", "blue"), Self.item("q", "red", "purple"), Self.item("q", "1", "2 3")]
        let found = BenchmarkLint.check(items, vocabulary: Self.vocabulary)
        #expect(found.map(\.index) == [1, 2, 2])
    }
}
