import Compute
import Foundation
import NodeKit
import ModelBackend
import SyntheticWorld
import TinyVLM

/// `uses: pairs.open` — open-ended pairs: the policy answers caption and list questions (sampled at
/// `temperature`, the paper's 0.6 by default, so the preferred answer is not always the judge's own greedy
/// trace word for word), and the rule-based injector rewrites each answer with one error (object,
/// attribute, count, position, addition, omission; weights in `mix`) to make the worse response.
public struct OpenPairsNode: NodeType {
    public init() {}
    public let name = "pairs.open"
    public let implementationVersion = "3" + modelNumerics
    public let summary = "open-ended preference pairs: the policy's answer vs the same answer with one injected error"
    public var params: [ParamSpec] {
        SynthesisParams.specs + SynthesisParams.sampling(temperatureDoc: "sampling temperature of the policy's answer (0 = greedy)") + [
            ParamSpec("mix", .map, default: .map(Dictionary(uniqueKeysWithValues: ErrorInjector.Kind.allCases.map { ($0.rawValue, .int(1)) })),
                      doc: "weight of each error kind: object, attribute, count, position, addition, omission"),
            ParamSpec("injector", .oneOf(["rules", "model"]), default: .string("rules"),
                      doc: "rules (ErrorInjector) or model: ask an OpenAI-compatible backend to make the error"),
            ParamSpec("endpoint", .string, default: .string(""), doc: "with injector: model — the backend's base URL, e.g. http://localhost:8000/v1"),
            ParamSpec("backend_model", .string, default: .string(""), doc: "with injector: model — the model name the backend serves"),
        ]
    }
    public let inputs = [InputSpec("policy", doc: "the model that answers (a model checkpoint)")]
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
        if params["injector"]?.stringValue == "model", params["endpoint"]?.stringValue?.isEmpty ?? true {
            found.append(ParamProblem(param: "endpoint", "injector: model needs the backend's base URL"))
        }
        return found
    }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let policy = try Checkpoint.load(try context.input("policy").path, threads: context.threads)
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
            if let q = QuestionGenerator.question(rng.pick(Question.Family.open), about: scene, rng: &rng) { questions.append((first + i, q)) }
        }
        let tok = policy.tokenizer
        let answers = policy.generate(questions.map { GenerationRequest(patches: world.patches($0.0), prompt: Prompts.question($0.1.text, tok),
                                                                          maxNewTokens: 60) },
                                      options: SamplingOptions(temperature: Float(try p.double("temperature")),
                                                               topK: try p.int("top_k"), topP: Float(try p.double("top_p")),
                                                               seed: world.seed &+ UInt64(iteration) &* 1_000_033, stop: [tok.eos]))
        var pairs: [Pair] = []
        let backend: ChatClient? = (try p.string("injector")) == "model"
            ? try ChatClient(baseURL: try p.string("endpoint"), model: try p.string("backend_model")) : nil
        for (k, (scene, q)) in questions.enumerated() {
            let answer = tok.decode(answers[k])
            if let backend {
                guard let kind = ErrorInjector.draw(mix, rng: &rng) else { break }
                let reply = try backend.complete(ModelInjector.prompt(question: q.text, answer: answer, kind: kind))
                guard let bad = ModelInjector.accept(reply, original: answer) else { continue }
                pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: answer, rejected: bad,
                                  source: "model-injected:\(kind.rawValue)", truth: q.answer))
                continue
            }
            guard let (bad, kind) = ErrorInjector.inject(into: answer, mix: mix, grid: world.world.grid, rng: &rng) else { continue }
            pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: answer, rejected: bad,
                              source: "injected:\(kind.rawValue)", truth: q.answer))
        }
        context.log("\(pairs.count) pairs from \(questions.count) open questions; policy answer exact in "
                    + "\(pairs.filter { $0.preferred == $0.truth }.count)")
        try RecordDirectory.write(pairs, world: world, to: context.outputPath("pairs"), file: "pairs.jsonl")
    }
}
