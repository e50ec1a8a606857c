@testable import SyntheticWorld
import Testing

@Suite struct BenchmarkPerturbationTests {
    /// The world of the hand-built scene: its shapes and colours and a 4x4 grid.
    static var world: WorldConfig {
        var w = WorldConfig()
        w.grid = 4
        w.maxObjects = 4
        w.shapes = [.circle, .square, .triangle]
        w.colours = [.red, .green, .blue]
        return w
    }

    /// The words of a text, punctuation dropped.
    static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init).filter { $0 != "." && $0 != "," } }

    @Test func everyKindProducesAWrongCaptionAsLongAsTheTruthInTheScenesOwnWords() {
        let truth = QuestionGeneratorTestsSupport.caption(handBuilt)
        let seen = Set(handBuilt.objects.flatMap { [$0.colour.rawValue, $0.shape.rawValue, $0.size.rawValue] })
        for kind in BenchmarkPerturbation.Kind.allCases {
            for seed in 0..<20 as Range<UInt64> {
                var rng = WorldRandom(seed: seed)
                guard let bad = BenchmarkPerturbation.caption(kind, of: handBuilt, rng: &rng) else {
                    Issue.record("\(kind) does not apply to a four-object scene")
                    continue
                }
                #expect(bad != truth, "\(kind)")
                #expect(bad.hasSuffix(" ."))
                #expect(Self.words(bad).count == Self.words(truth).count, "\(kind): \(bad)")
                let attributes = Self.words(bad).filter { Colour(rawValue: $0) != nil || Shape(rawValue: $0) != nil || Size(rawValue: $0) != nil }
                #expect(attributes.allSatisfy(seen.contains), "\(kind) names only what the scene shows: \(bad)")
            }
        }
    }

    @Test func swappedAttributesChangeTwoMentionsAndExchangedOnesOne() {
        let truth = QuestionGeneratorTestsSupport.caption(handBuilt)
        func changed(_ kind: BenchmarkPerturbation.Kind, seed: UInt64) -> Int {
            var rng = WorldRandom(seed: seed)
            let bad = BenchmarkPerturbation.caption(kind, of: handBuilt, rng: &rng)!
            return zip(bad.split(separator: "."), truth.split(separator: ".")).filter { $0 != $1 }.count
        }
        for seed in 0..<10 as Range<UInt64> {
            #expect(changed(.attributesSwapped, seed: seed) == 2)
            #expect(changed(.attributeExchanged, seed: seed) == 1)
        }
    }

    @Test func aReplacedObjectIsAnAbsentCombinationOfPresentAttributes() {
        let truth = Set(handBuilt.objects.map { "\($0.colour) \($0.shape)" })
        for seed in 0..<20 as Range<UInt64> {
            var rng = WorldRandom(seed: seed)
            let scene = BenchmarkPerturbation.perturbed(.replacedObject, handBuilt, rng: &rng)!
            let new = scene.objects.map { "\($0.colour) \($0.shape)" }.filter { !truth.contains($0) }
            #expect(new.count == 1)
        }
    }

    @Test func wrongClosedAnswersAreWrongOfTheSameTypeAndFromTheWorld() {
        var rng = WorldRandom(seed: 5)
        let world = Self.world
        let allowed = Set(WorldVocabulary.drawn(by: world).values.joined())
        for family in Question.Family.closed {
            for _ in 0..<40 {
                guard let q = QuestionGenerator.question(family, about: handBuilt, rng: &rng, vocabulary: world),
                      let (wrong, _) = BenchmarkPerturbation.wrongAnswer(to: q, in: handBuilt, world: world, rng: &rng) else { continue }
                #expect(wrong != q.answer, "\(q.text)")
                #expect(Self.words(wrong).count == Self.words(q.answer).count, "\(q.text): \(wrong)")
                #expect(Self.words(wrong).allSatisfy(allowed.contains), "\(q.text): \(wrong)")
                #expect(Self.words(q.text).filter { Colour(rawValue: $0) != nil }.allSatisfy { world.colours.map(\.rawValue).contains($0) })
            }
        }
        let colour = Question(family: .colour, text: "what color is the circle ?", answer: "red")
        for _ in 0..<20 {
            let (answer, kind) = BenchmarkPerturbation.wrongAnswer(to: colour, in: handBuilt, world: world, rng: &rng)!
            #expect(["blue", "green"].contains(answer) && kind == .sameSceneDistractor)
        }
        let count = Question(family: .count, text: "how many objects are there ?", answer: "4")
        #expect(BenchmarkPerturbation.wrongAnswer(to: count, in: handBuilt, world: world, rng: &rng)?.answer == "3",
                "a count never goes past what the world's scenes hold")
    }

    @Test func anAbsentCombinationShowsBothItsAttributesElsewhere() {
        for seed in 0..<20 as Range<UInt64> {
            var rng = WorldRandom(seed: seed)
            let q = BenchmarkPerturbation.absentCombination(in: handBuilt, rng: &rng)!
            let w = q.text.split(separator: " ").map(String.init)
            let c = Colour(rawValue: w[3])!, s = Shape(rawValue: w[4])!
            #expect(q.answer == "no" && handBuilt.objects(matching: c, shape: s).isEmpty)
            #expect(!handBuilt.objects(matching: c).isEmpty && !handBuilt.objects(shape: s).isEmpty)
        }
    }
}

/// The caption the world itself gives (ground truth), via the caption question.
enum QuestionGeneratorTestsSupport {
    static func caption(_ scene: Scene) -> String {
        var rng = WorldRandom(seed: 0)
        return QuestionGenerator.question(.caption, about: scene, rng: &rng)!.answer
    }
}
