import SyntheticWorld
import Testing

/// Hand-built scene: a large red circle (row 1, col 1), a small red square (row 1, col 3),
/// a small blue square (row 3, col 2) and a large green triangle (row 4, col 4).
let handBuilt = Scene(imageSize: 32, grid: 4, noise: 0, pixelSeed: 0, objects: [
    SceneObject(shape: .circle, colour: .red, size: .large, row: 0, column: 0),
    SceneObject(shape: .square, colour: .red, size: .small, row: 0, column: 2),
    SceneObject(shape: .square, colour: .blue, size: .small, row: 2, column: 1),
    SceneObject(shape: .triangle, colour: .green, size: .large, row: 3, column: 3),
])

/// Every question of `family` the generator asks about the hand-built scene over many draws.
func asked(_ family: Question.Family) -> [Question] {
    var rng = WorldRandom(seed: 11)
    return (0..<300).compactMap { _ in QuestionGenerator.question(family, about: handBuilt, rng: &rng) }
}

func answers(_ family: Question.Family) -> [String: String] {
    Dictionary(asked(family).map { ($0.text, $0.answer) }, uniquingKeysWith: { a, _ in a })
}

@Suite struct QuestionTests {
    @Test func countingAnswersCountTheScene() {
        let a = answers(.count)
        #expect(a["how many objects are there ?"] == "4")
        #expect(a["how many red objects are there ?"] == "2")
        #expect(a["how many squares are there ?"] == "2")
        #expect(a["how many crosses are there ?"] == "0")
    }

    @Test func attributeQuestionsNameOnlyUniqueObjects() {
        #expect(answers(.colour) == ["what color is the circle ?": "red", "what color is the triangle ?": "green"])
        #expect(answers(.shape) == ["what shape is the blue object ?": "square", "what shape is the green object ?": "triangle"])
    }

    @Test func existenceIsTrueExactlyForPresentPairs() {
        for (text, answer) in answers(.existence) {
            let present = ["is there a red circle ?", "is there a red square ?", "is there a blue square ?", "is there a green triangle ?"]
            #expect(answer == (present.contains(text) ? "yes" : "no"), "\(text)")
        }
    }

    @Test func positionUsesOneBasedRowsAndColumns() {
        let a = answers(.position)
        #expect(a["where is the circle ?"] == "row 1 column 1")
        #expect(a["where is the blue square ?"] == "row 3 column 2")
        #expect(a["where is the triangle ?"] == "row 4 column 4")
    }

    @Test func multipleChoiceLetterPointsAtTheTrueColour() {
        for q in asked(.choice) {
            let words = q.text.split(separator: " ").map(String.init)
            let letterIndex = try! #require(words.firstIndex(of: q.answer))
            let truth = q.text.contains("circle") ? "red" : "green"
            #expect(words[letterIndex + 1] == truth)
        }
    }

    @Test func reasoningQuestionsCombineTwoFacts() {
        let compare = answers(.compare)
        #expect(compare["are there more squares than circles ?"] == "yes")
        #expect(compare["are there more circles than squares ?"] == "no")
        let relation = answers(.relation)
        #expect(relation["is the circle left of the blue square ?"] == "yes")
        #expect(relation["is the triangle above the circle ?"] == "no")
        let arithmetic = answers(.arithmetic)
        #expect(arithmetic["how many red or blue objects are there in total ?"] == "3")
    }

    @Test func openEndedAnswersDescribeEveryObjectInReadingOrder() {
        #expect(answers(.caption)["describe the image ."] ==
            "a large red circle in row 1 column 1 . a small red square in row 1 column 3 . "
            + "a small blue square in row 3 column 2 . a large green triangle in row 4 column 4 .")
        let lists = answers(.list)
        #expect(lists["list the objects in row 1 ."] == "a large red circle in column 1 , a small red square in column 3 .")
        #expect(lists["list the objects in row 2 ."] == "there is nothing in row 2 .")
    }

    @Test func everyWordOfEveryFamilyIsInTheVocabulary() {
        let vocabulary = Set(WorldVocabulary.words)
        for i in 0..<50 {
            let scene = SceneGenerator.scene(seed: 5, index: i)
            var rng = WorldRandom(seed: UInt64(i))
            for family in Question.Family.allCases {
                guard let q = QuestionGenerator.question(family, about: scene, rng: &rng) else { continue }
                for word in (q.text + " " + q.answer).split(separator: " ") {
                    #expect(vocabulary.contains(String(word)), "'\(word)' in \(family)")
                }
            }
        }
    }
}
