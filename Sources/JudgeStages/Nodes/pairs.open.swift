import Compute
import Foundation
import NodeKit
import ModelBackend
import SyntheticWorld
import TinyVLM

/// `uses: pairs.open` — open-ended pairs: the policy answers caption and list questions (sampled at
/// `temperature`, the paper's 0.6 by default, so the preferred answer is not always the judge's own greedy
/// trace word for word), and the rule-based injector rewrites each answer with one error (object,
/// attribute, count, position, addition, omission; weights in `mix`) to make the worse response. With
/// `backend: openai` a served model answers (shown the scene's image); `injector: model` asks the served
/// model at the same endpoint to make the error, as the paper does (`ModelInjector`).
public struct OpenPairsNode: NodeType {
    public init() {}
    public let name = "pairs.open"
    public let implementationVersion = "4" + modelNumerics
    public let summary = "open-ended preference pairs: the policy's answer vs the same answer with one injected error"
    public var params: [ParamSpec] {
        SynthesisParams.specs + SynthesisParams.sampling(temperatureDoc: "sampling temperature of the policy's answer (0 = greedy)") + [
            ParamSpec("mix", .map, default: .map(Dictionary(uniqueKeysWithValues: ErrorInjector.Kind.allCases.map { ($0.rawValue, .int(1)) })),
                      doc: "weight of each error kind: object, attribute, count, position, addition, omission"),
            ParamSpec("injector", .oneOf(["rules", "model"]), default: .string("rules"),
                      doc: "rules (ErrorInjector) or model: ask the served model at `endpoint` to make the error"),
        ] + BackendParams.specs(alsoWith: Self.injectorModel)
            + RemoteAnswers.specs(hint: "").map { spec in var s = spec; s.onlyWith = BackendParams.openai; return s }
    }
    static let injectorModel = [(param: "injector", value: "model")]
    public let inputs = [InputSpec("policy", doc: "the model that answers (a model checkpoint; backend: embedded)")]
    public func requiredInputs(params: [String: Value]) -> [String] { BackendParams.requiredInputs(params, modelInput: "policy") }
    public func outputs(params: [String: Value]) -> [String] { ["pairs"] }

    public func problems(params: [String: Value]) -> [ParamProblem] {
        var found = WorldParams.problems(params)
        for (kind, weight) in params["mix"]?.mapValue ?? [:] {
            if ErrorInjector.Kind(rawValue: kind) == nil {
                found.append(ParamProblem(param: "mix", "unknown error kind '\(kind)'; kinds: "
                                          + ErrorInjector.Kind.allCases.map(\.rawValue).joined(separator: ", ")))
            } else if !(weight.doubleValue.map { $0.isFinite && $0 >= 0 } ?? false) {
                found.append(ParamProblem(param: "mix", "weight of '\(kind)' must be a number ≥ 0, found \(weight)"))
            }
        }
        if (params["mix"]?.mapValue ?? [:]).values.allSatisfy({ ($0.doubleValue ?? 0) == 0 }) {
            found.append(ParamProblem(param: "mix", "every error kind has weight 0: no error can be injected"))
        }
        found += RemoteAnswers.problems(params)
        if !BackendParams.isRemote(params) {
            found += BackendParams.problems(params, needed: params["injector"] == .string("model"))
        }
        return found
    }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let world = WorldRef(seed: try p.seed("seed"), world: try WorldParams.config(p))
        var mix: [ErrorInjector.Kind: Double] = [:]
        for (k, v) in try p.map("mix") {
            guard let kind = ErrorInjector.Kind(rawValue: k), let w = v.doubleValue else {
                throw NodeError.invalid("mix: unknown error kind '\(k)'")
            }
            mix[kind] = w
        }
        let count = try p.int("count"), iteration = try p.int("iteration")
        let first = (try p.int("first_scene")) + iteration * count * 4 + count * 2
        var rng = WorldRandom(seed: world.seed, stream: RandomStream.openPairs, index: UInt64(iteration))
        var questions: [(Int, Question)] = []
        for i in 0..<count {
            let scene = SceneGenerator.scene(seed: world.seed, index: first + i, config: world.world)
            if let q = QuestionGenerator.question(rng.pick(Question.Family.open), about: scene, rng: &rng, vocabulary: world.world) {
                questions.append((first + i, q))
            }
        }
        let seed = world.seed &+ UInt64(iteration) &* 1_000_033
        let remote = try BackendParams.isRemote(p) || p.string("injector") == "model"
        let session = remote ? try BackendParams.session(context, modelInput: "policy") : nil
        defer { if let session { BackendParams.finish(session) } }
        let runner = session?.runner
        let answers = if let session, BackendParams.isRemote(p) {
            try remoteAnswers(questions, world: world, seed: seed, session.runner, session.context)
        } else {
            try embeddedAnswers(questions, world: world, seed: seed, context)
        }
        var pairs: [Pair] = []
        if let runner, (try p.string("injector")) == "model" {
            let model = try (session?.context.params ?? p).string("model")
            // Kinds are drawn first, in question order, so the requests (and so the pairs) do not depend on timing.
            var kinds: [ErrorInjector.Kind] = []
            for _ in questions { guard let kind = ErrorInjector.draw(mix, rng: &rng) else { break }; kinds.append(kind) }
            let requests = zip(questions, kinds).enumerated().map { k, element in
                ChatRequest(model: model, messages: ModelInjector.prompt(question: element.0.1.text, answer: answers[k], kind: element.1),
                            temperature: 0, maxTokens: 256, seed: 0)
            }
            let replies = try BackendParams.run(requests, runner, context, note: "injecting")
            for (k, reply) in replies.enumerated() {
                let (scene, q) = questions[k]
                guard let bad = ModelInjector.accept(reply.texts[0], original: answers[k]) else { continue }
                pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: answers[k], rejected: bad,
                                  source: "model-injected:\(kinds[k].rawValue)", truth: q.answer))
            }
            context.log("\(pairs.count) pairs from \(questions.count) open questions; \(replies.count - pairs.count) rewrites made no error")
            try RecordDirectory.write(pairs, world: world, to: context.outputPath("pairs"), file: "pairs.jsonl")
            return
        }
        for (k, (scene, q)) in questions.enumerated() {
            let answer = answers[k]
            guard let (bad, kind) = ErrorInjector.inject(into: answer, mix: mix, world: world.world, rng: &rng) else { continue }
            pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: answer, rejected: bad,
                              source: "injected:\(kind.rawValue)", truth: q.answer))
        }
        context.log("\(pairs.count) pairs from \(questions.count) open questions; policy answer exact in "
                    + "\(pairs.filter { $0.preferred == $0.truth }.count)")
        try RecordDirectory.write(pairs, world: world, to: context.outputPath("pairs"), file: "pairs.jsonl")
    }

    /// The embedded policy's answers, decoded.
    func embeddedAnswers(_ questions: [(Int, Question)], world: WorldRef, seed: UInt64, _ context: NodeContext) throws -> [String] {
        let p = context.params
        let policy = try Checkpoint.load(try context.input("policy").path, threads: context.threads)
        let tok = policy.tokenizer
        let answers = policy.generate(questions.map { GenerationRequest(patches: world.patches($0.0, patch: policy.config.patch),
                                                                          prompt: Prompts.question($0.1.text, tok), maxNewTokens: 60) },
                                      options: SamplingOptions(temperature: Float(try p.double("temperature")),
                                                               topK: try p.int("top_k"), topP: Float(try p.double("top_p")),
                                                               seed: seed, stop: [tok.eos]))
        return answers.map { tok.decode($0) }
    }

    /// A served model's answers, kept as written (trimmed): an open answer is a caption, not a word to vote on.
    func remoteAnswers(_ questions: [(Int, Question)], world: WorldRef, seed: UInt64, _ runner: RequestRunner,
                       _ context: NodeContext) throws -> [String] {
        let p = context.params
        let topK = try p.int("top_k")
        let requests = try questions.enumerated().map { k, element in
            try RemoteAnswers.request(p, image: world.png(element.0), question: element.1.text, n: nil,
                                      temperature: try p.double("temperature"), topP: try p.double("top_p"),
                                      topK: topK == 0 ? nil : topK, seed: SamplingOptions.sequenceSeed(seed, index: k))
        }
        return try BackendParams.run(requests, runner, context, note: "answering").map {
            $0.texts[0].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
