import SyntheticWorld
import Testing

@Suite struct BenchmarkPerturbationTests {
    @Test func everyKindProducesAWrongButWellFormedCaption() {
        let truth = QuestionGeneratorTestsSupport.caption(handBuilt)
        for kind in BenchmarkPerturbation.Kind.allCases {
            var rng = WorldRandom(seed: 3)
            let bad = BenchmarkPerturbation.caption(kind, of: handBuilt, rng: &rng)
            #expect(bad != nil && bad != truth, "\(kind)")
            #expect(bad?.hasSuffix(" .") == true)
        }
    }

    @Test func swappedColoursChangesTwoMentions() {
        var rng = WorldRandom(seed: 1)
        let bad = BenchmarkPerturbation.caption(.swappedColours, of: handBuilt, rng: &rng)!
        let truth = QuestionGeneratorTestsSupport.caption(handBuilt)
        let differing = zip(bad.split(separator: "."), truth.split(separator: ".")).filter { $0 != $1 }.count
        #expect(differing == 2)
    }

    @Test func wrongClosedAnswersArePlausibleAndWrong() {
        var rng = WorldRandom(seed: 5)
        for family in Question.Family.closed {
            for _ in 0..<20 {
                guard let q = QuestionGenerator.question(family, about: handBuilt, rng: &rng),
                      let wrong = BenchmarkPerturbation.wrongAnswer(to: q, in: handBuilt, rng: &rng) else { continue }
                #expect(wrong != q.answer, "\(q.text)")
            }
        }
        let colour = Question(family: .colour, text: "what color is the circle ?", answer: "red")
        for _ in 0..<20 { #expect(["blue", "green"].contains(BenchmarkPerturbation.wrongAnswer(to: colour, in: handBuilt, rng: &rng) ?? "")) }
    }
}

/// The caption the world itself gives (ground truth), via the caption question.
enum QuestionGeneratorTestsSupport {
    static func caption(_ scene: Scene) -> String {
        var rng = WorldRandom(seed: 0)
        return QuestionGenerator.question(.caption, about: scene, rng: &rng)!.answer
    }
}
