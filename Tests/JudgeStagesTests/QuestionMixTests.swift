import Foundation
import JudgeStages
import NodeKit
import SyntheticWorld
import Testing

@Suite struct QuestionMixTests {
    var world: WorldConfig {
        var config = WorldConfig()
        config.imageSize = 24
        config.grid = 3
        config.maxObjects = 3
        return config
    }

    func questions(_ mix: QuestionMix, scenes: Int = 400) -> [(Scene, Question)] {
        (0..<scenes).compactMap { i in
            let scene = SceneGenerator.scene(seed: 9, index: i, config: world)
            var rng = WorldRandom(seed: 9, stream: RandomStream.instructions, index: UInt64(i))
            return mix.question(about: scene, rng: &rng, vocabulary: world).map { (scene, $0) }
        }
    }

    @Test func theUniformMixAsksWhatTheGeneratorAloneAsks() {
        let mixed = questions(.uniform)
        let alone: [Question] = (0..<400).compactMap { i in
            let scene = SceneGenerator.scene(seed: 9, index: i, config: world)
            var rng = WorldRandom(seed: 9, stream: RandomStream.instructions, index: UInt64(i))
            return QuestionGenerator.question(rng.pick(Question.Family.allCases), about: scene, rng: &rng, vocabulary: world)
        }
        #expect(mixed.map(\.1) == alone)
    }

    @Test func familiesAreAskedInProportionToTheirWeights() {
        var weights = Dictionary(uniqueKeysWithValues: Question.Family.allCases.map { ($0, 1.0) })
        weights[.position] = 4
        weights[.caption] = 0
        let asked = questions(QuestionMix(weights: weights), scenes: 2000).map(\.1.family)
        #expect(!asked.contains(.caption))
        let share = Double(asked.filter { $0 == .position }.count) / Double(asked.count)
        #expect(share > 0.25 && share < 0.40, "position share \(share), expected about 4/14")
        #expect(questions(QuestionMix(weights: [.list: 1])).allSatisfy { $0.1.family == .list })
    }

    /// Whether `q` names a colour and a shape `scene` shows, but on different objects.
    func namesAnAbsentCombination(_ q: Question, in scene: Scene) -> Bool {
        let words = q.text.split(separator: " ").map(String.init)
        guard words.count == 6, let colour = Colour(rawValue: words[3]), let shape = Shape(rawValue: words[4]) else { return false }
        return !scene.objects(matching: colour).isEmpty && !scene.objects(shape: shape).isEmpty
            && scene.objects(matching: colour, shape: shape).isEmpty
    }

    @Test func anAbsentCombinationShareAsksAboutColoursAndShapesTheSceneShowsApart() {
        func hasAbsentPair(_ scene: Scene) -> Bool {
            scene.objects.contains { a in scene.objects.contains { b in scene.objects(matching: a.colour, shape: b.shape).isEmpty } }
        }
        let asked = questions(QuestionMix(weights: [.existence: 1], absentCombinations: 1))
        let eligible = asked.filter { hasAbsentPair($0.0) }
        #expect(eligible.count > 150)
        for (scene, q) in eligible {
            #expect(q.answer == "no" && namesAnAbsentCombination(q, in: scene), "\(q.text)")
        }
        // A scene without such a pair gets an ordinary existence question; without the share few name one.
        #expect(asked.count == 400)
        let random = questions(QuestionMix(weights: [.existence: 1])).filter { namesAnAbsentCombination($0.1, in: $0.0) }.count
        #expect(random < eligible.count / 3, "absent combinations without the share: \(random)")
    }

    @Test func aClosedWeightEmphasisesClosedAnswersAndTheirEndOnly() {
        let tokenizer = Prompts.worldTokenizer()
        let plain = InstructionData.examples(seed: 3, scenes: 30, world: world, tokenizer: tokenizer, patch: 8)
        let weighted = InstructionData.examples(seed: 3, scenes: 30, world: world, tokenizer: tokenizer, patch: 8,
                                                mix: QuestionMix(weights: QuestionMix.uniform.weights, closedWeight: 4))
        #expect(plain.count == weighted.count && plain.allSatisfy { $0.emphasized.isEmpty && $0.emphasis == 1 })
        var closed = 0
        for (a, b) in zip(plain, weighted) {
            #expect(a.completion == b.completion && a.prompt == b.prompt)
            let open = b.completion.count > 6   // captions and row lists; closed answers are a few words
            if open { #expect(b.emphasized.isEmpty) } else {
                #expect(b.emphasized == 0..<(b.completion.count + 1) && b.emphasis == 4)
                closed += 1
            }
        }
        #expect(closed > 40)
    }

    @Test func shuffledCaptionsListTheSameMentionsInAnotherOrder() {
        let rows = questions(QuestionMix(weights: [.caption: 1]))
        let shuffled = questions(QuestionMix(weights: [.caption: 1], shuffledCaptions: 1))
        #expect(rows.count == 400 && shuffled.count == 400)
        func mentions(_ caption: String) -> [String] {
            caption.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var reordered = 0
        for ((_, a), (_, b)) in zip(rows, shuffled) {
            #expect(a.text == b.text && mentions(a.answer).sorted() == mentions(b.answer).sorted())
            if a.answer != b.answer { reordered += 1 }
        }
        // A random order differs from the rows' in half the two-object scenes and five in six of the
        // three-object ones.
        #expect(reordered > 80, "\(reordered) captions reordered")
    }

    @Test func positionPartsAskForTheRowOrColumnOfTheObjectTheyName() {
        let asked = questions(QuestionMix(weights: [.position: 1], positionParts: 1))
        #expect(asked.count > 300)
        var rows = 0
        for (scene, q) in asked {
            // "which row is the small red circle in ?": the words between "is" and "in" name one object.
            let words = q.text.split(separator: " ").map(String.init)
            #expect(q.family == .position && words.count >= 6 && words[0] == "which" && words.suffix(2) == ["in", "?"])
            let name = Set(words[4..<(words.count - 2)])
            let named = scene.objects.filter { o in
                name.contains(o.shape.rawValue) && name.isSubset(of: [o.shape.rawValue, o.colour.rawValue, o.size.rawValue])
            }
            #expect(named.count == 1, "\(q.text)")
            guard let o = named.first else { continue }
            if words[1] == "row" { rows += 1 }
            #expect(q.answer == String((words[1] == "row" ? o.row : o.column) + 1), "\(q.text) → \(q.answer)")
        }
        #expect(rows > asked.count / 3 && rows < asked.count * 2 / 3)
        #expect(questions(QuestionMix(weights: [.position: 1])).allSatisfy { $0.1.text.hasPrefix("where is") })
    }

    @Test func aMixWithAnUnknownFamilyANegativeWeightOrNoWeightIsAProblem() {
        #expect(QuestionMix.problems(["mix": .map(["position": .int(2), "colour": .int(1)])]).map(\.message)
            == ["unknown question family 'colour'; families: count, color, shape, existence, position, multiple-choice, compare, relation, arithmetic, caption, list"])
        #expect(QuestionMix.problems(["mix": .map(["position": .double(-1)])]).first?.message == "weight of 'position' must be a number ≥ 0, found -1.0")
        #expect(QuestionMix.problems(["mix": .map(["position": .int(0)])]).map(\.message) == ["every question family has weight 0: no question can be asked"])
        #expect(QuestionMix.problems(["mix": .map(["position": .int(3)])]).isEmpty)
    }
}

@Suite struct ReplayMixTests {
    @Test func theReplayAsksItsQuestionsByTheMixTheJudgeNames() {
        var config = WorldConfig()
        config.imageSize = 24
        config.grid = 3
        let world = WorldRef(seed: 5, world: config), tokenizer = Prompts.worldTokenizer()
        let mix = QuestionMix(weights: [.existence: 1], absentCombinations: 1)
        let replayed = InstructionData.replay(60, world: world, tokenizer: tokenizer, patch: 8, mix: mix)
        #expect(replayed == Array(InstructionData.examples(seed: 5, scenes: 20, world: config, tokenizer: tokenizer, patch: 8, mix: mix).prefix(60)))
        #expect(replayed != InstructionData.replay(60, world: world, tokenizer: tokenizer, patch: 8))
    }

    @Test func aReplayMixProblemIsReportedUnderItsOwnName() {
        var params: [String: Value] = ["trainer": .string("embedded")]
        for spec in JudgeTrainNode().params { params[spec.name] = params[spec.name] ?? spec.defaultValue }
        #expect(JudgeTrainNode().problems(params: params).isEmpty)
        params["replay_mix"] = .map(["caption": .int(0)])
        #expect(JudgeTrainNode().problems(params: params).map(\.param) == ["replay_mix"])
    }
}
