import Compute
import Foundation
import ModelBackend
import NodeKit
import SyntheticWorld
import TinyVLM

/// `uses: model.eval` — how well a model answers the world's questions: greedy answers to `count`
/// held-out questions per family (scenes from a stream no training node reads), scored by exact match
/// against ground truth. The judge's trace is its own answer, so this bounds what the judge can check;
/// it is the first thing to look at when a loop does not improve. Output `metrics`: JSON
/// `{"families": {name: accuracy}, "closed": x, "open": x, "caption_mentions": {...}, "distractor": x, "absent_combination": x}`:
/// `caption_mentions` reads each caption mention by mention (`CaptionMentions`), `distractor` is the
/// accuracy on the colour, shape, position and multiple-choice questions whose scene shows another
/// object with another value of the asked attribute (the answer a confused model would give),
/// `absent_combination` the accuracy on `count` further questions `is there a <colour> <shape> ?` whose
/// colour and shape the scene shows on other objects but not together (truth `no`). With
/// `backend: openai` a served model answers (greedy, its image and the question), and both sides are
/// normalised before the match (`RemoteAnswers`).
public struct PolicyEvalNode: NodeType {
    public init() {}
    public let name = "model.eval"
    public let implementationVersion = "4" + modelNumerics
    public let summary = "exact-match accuracy of a model's own answers, per question family"
    public var params: [ParamSpec] {
        [ParamSpec("seed", .int, default: .int(1), range: ParamRanges.seed, doc: "world seed (the held-out stream of it is used)"),
         ParamSpec("count", .int, default: .int(64), range: 1...100_000, doc: "questions per family")] + WorldParams.specs
            + BackendParams.specs() + RemoteAnswers.specs(hint: "")
    }
    public func problems(params: [String: Value]) -> [ParamProblem] { WorldParams.problems(params) + RemoteAnswers.problems(params) }
    public func requiredInputs(params: [String: Value]) -> [String] { BackendParams.requiredInputs(params, modelInput: "model") }
    public let inputs = [InputSpec("model", doc: "a model checkpoint (backend: embedded)")]
    public func outputs(params: [String: Value]) -> [String] { ["metrics"] }

    public struct Metrics: Codable, Sendable, Equatable {
        public var families: [String: Double]
        public var closed: Double
        public var open: Double
        public var captionMentions: CaptionMentions?
        public var distractor: Double?
        public var absentCombination: Double?

        enum CodingKeys: String, CodingKey {
            case families, closed, open, distractor
            case captionMentions = "caption_mentions"
            case absentCombination = "absent_combination"
        }
    }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let seed = try p.seed("seed") ^ 0x5EED_0E7A_0000_0000
        let world = WorldRef(seed: seed, world: try WorldParams.config(p))
        let count = try p.int("count")
        var rng = WorldRandom(seed: seed, stream: RandomStream.policyEval, index: 0)
        var questions: [(Int, Question)] = []
        var scene = 0
        for family in Question.Family.allCases {
            var made = 0, tries = 0
            while made < count && tries < count * 20 {
                tries += 1
                scene += 1
                guard let q = QuestionGenerator.question(family, about: SceneGenerator.scene(seed: seed, index: scene, config: world.world),
                                                         rng: &rng, vocabulary: world.world) else { continue }
                questions.append((scene, q))
                made += 1
            }
        }
        // `yes`/`no` to an absent combination of a colour and a shape the scene shows on other objects,
        // asked apart from the families' questions so their accuracies keep their meaning.
        var absent: [(Int, Question)] = []
        for _ in 0..<count * 20 where absent.count < count {
            scene += 1
            if let q = BenchmarkPerturbation.absentCombination(in: SceneGenerator.scene(seed: seed, index: scene, config: world.world), rng: &rng) {
                absent.append((scene, q))
            }
        }
        let families = questions.count
        questions += absent
        var said: [String] = []
        if BackendParams.isRemote(p) {
            let pattern = try p.string("answer_pattern")
            let session = try BackendParams.session(context, modelInput: "model")
            defer { BackendParams.finish(session) }
            let requests = try questions.map {
                try RemoteAnswers.request(session.context.params, image: world.png($0.0), question: $0.1.text, n: nil, temperature: 0, topP: nil, topK: nil, seed: 0)
            }
            said = try BackendParams.run(requests, session.runner, context, note: "answering").map {
                RemoteAnswers.normalise($0.texts[0], pattern: pattern)
            }
            for k in questions.indices { questions[k].1.answer = RemoteAnswers.normalise(questions[k].1.answer, pattern: "") }
        } else {
            said = try embeddedAnswers(questions, world: world, context)
        }
        let absentRight = zip(questions[families...], said[families...]).filter { $0.0.1.answer == $0.1 }.count
        questions.removeLast(absent.count)
        said.removeLast(absent.count)
        var right: [Question.Family: (Int, Int)] = [:]
        for ((_, q), a) in zip(questions, said) {
            right[q.family, default: (0, 0)].1 += 1
            if a == q.answer { right[q.family, default: (0, 0)].0 += 1 }
        }
        func accuracy(_ families: [Question.Family]) -> Double {
            let (r, n) = families.reduce((0, 0)) { ($0.0 + (right[$1]?.0 ?? 0), $0.1 + (right[$1]?.1 ?? 0)) }
            return n == 0 ? 0 : Double(r) / Double(n)
        }
        var mentions = CaptionMentions()
        var distracted = (right: 0, asked: 0)
        for ((scene, q), a) in zip(questions, said) {
            let s = SceneGenerator.scene(seed: seed, index: scene, config: world.world)
            if q.family == .caption { mentions.add(said: a, scene: s) }
            if CaptionMentions.hasDistractor(q, in: s) {
                distracted.asked += 1
                if a == q.answer { distracted.right += 1 }
            }
        }
        let metrics = Metrics(families: Dictionary(uniqueKeysWithValues: right.map { ($0.key.rawValue, accuracy([$0.key])) }),
                              closed: accuracy(Question.Family.closed), open: accuracy(Question.Family.open),
                              captionMentions: mentions.objects == 0 ? nil : mentions,
                              distractor: distracted.asked == 0 ? nil : Double(distracted.right) / Double(distracted.asked),
                              absentCombination: absent.isEmpty ? nil : Double(absentRight) / Double(absent.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(metrics).write(to: URL(fileURLWithPath: context.outputPath("metrics")))
        context.log(String(format: "closed %.3f open %.3f distractor %.3f absent combination %.3f; caption mentions: cell %.3f colour %.3f shape %.3f size %.3f; ",
                           metrics.closed, metrics.open, metrics.distractor ?? .nan, metrics.absentCombination ?? .nan, mentions.cell, mentions.colour, mentions.shape, mentions.size)
                    + metrics.families.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", "))
    }

    /// The embedded model's greedy answers, decoded.
    func embeddedAnswers(_ questions: [(Int, Question)], world: WorldRef, _ context: NodeContext) throws -> [String] {
        let model = try Checkpoint.load(try context.input("model").path, threads: context.threads)
        let tok = model.tokenizer
        var answers: [[Int32]] = []
        for start in stride(from: 0, to: questions.count, by: 128) {
            let chunk = questions[start..<min(questions.count, start + 128)]
            answers += model.generate(chunk.map { GenerationRequest(patches: world.patches($0.0, patch: model.config.patch),
                                                                    prompt: Prompts.question($0.1.text, tok), maxNewTokens: 60) },
                                      options: SamplingOptions(stop: [tok.eos]))
            context.progress(Double(answers.count) / Double(questions.count), "answering")
        }
        return answers.map { tok.decode($0) }
    }
}
