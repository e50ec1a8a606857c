import JudgeStages
import SyntheticWorld
import Testing

@Suite struct CaptionMentionsTests {
    static let scene = Scene(imageSize: 24, grid: 3, noise: 0, pixelSeed: 0, objects: [
        SceneObject(shape: .circle, colour: .red, size: .small, row: 0, column: 1),
        SceneObject(shape: .square, colour: .blue, size: .large, row: 2, column: 2),
    ])

    @Test func eachObjectIsMatchedByItsCellAndEachAttributeCountedOnItsOwn() {
        var m = CaptionMentions()
        m.add(said: "a small red square in row 1 column 2 . a small blue square in row 3 column 1 .", scene: Self.scene)
        #expect(m.objects == 2 && m.placed == 1 && m.rightColour == 1 && m.rightShape == 0 && m.rightSize == 1)
        m.add(said: "not a caption", scene: Self.scene)
        #expect(m.objects == 4 && m.placed == 1, "an unreadable caption places nothing")
    }

    @Test func aServedCaptionWithoutItsFinalPeriodCountsAsTheSame() {
        var a = CaptionMentions(), b = CaptionMentions()
        a.add(said: "a small red circle in row 1 column 2 . a large blue square in row 3 column 3 .", scene: Self.scene)
        b.add(said: "a small red circle in row 1 column 2 . a large blue square in row 3 column 3", scene: Self.scene)
        #expect(a == b && a.placed == 2 && a.rightShape == 2)
    }

    @Test func onlyQuestionsWithAnotherObjectOfAnotherValueHaveADistractor() {
        #expect(CaptionMentions.hasDistractor(Question(family: .colour, text: "what color is the circle ?", answer: "red"), in: Self.scene))
        #expect(!CaptionMentions.hasDistractor(Question(family: .count, text: "how many objects are there ?", answer: "2"), in: Self.scene))
        let alone = Scene(imageSize: 24, grid: 3, noise: 0, pixelSeed: 0, objects: [Self.scene.objects[0]])
        #expect(!CaptionMentions.hasDistractor(Question(family: .position, text: "where is the circle ?", answer: "row 1 column 2"), in: alone))
    }
}
