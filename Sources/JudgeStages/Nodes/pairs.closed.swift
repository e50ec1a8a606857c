import Compute
import Foundation
import NodeKit
import ModelBackend
import SyntheticWorld
import TinyVLM

/// `uses: pairs.closed` — closed-ended pairs by majority vote: the policy samples N answers per
/// question; the majority answer (≥ threshold votes, strictly ahead) is preferred over a random other
/// sample. `filter: correct-answer` keeps only pairs whose majority equals the ground truth (the paper's
/// ablation, and the only place ground truth may enter training). The optional `size_of` input caps
/// the pair count at another pair set's (a seeded random subset), for the paper's size-matched arm. With
/// `backend: openai` a served model samples the answers (`n` per request up to `max_n`, each sample seeded as
/// the embedded batch seeds it) and they are normalised before the vote (`RemoteAnswers`). An empty answer
/// (or one that normalises to nothing) does not vote, on either backend.
public struct ClosedPairsNode: NodeType {
    public init() {}
    public let name = "pairs.closed"
    public let implementationVersion = "5" + modelNumerics
    public let summary = "closed-ended preference pairs by majority vote over N sampled answers"
    public var params: [ParamSpec] {
        SynthesisParams.specs + [
            ParamSpec("samples", .int, default: .int(16), range: 1...1024, doc: "N answers sampled per question"),
        ] + SynthesisParams.sampling(temperatureDoc: "sampling temperature") + [
            ParamSpec("threshold", .int, default: .int(5), range: 1...1024, doc: "votes the majority needs"),
            ParamSpec("agreed", .oneOf(["skip", "alter"]), default: .string("skip"),
                      doc: "when all N samples agree: skip (the paper's rule) or alter (reject another answer of the family)"),
            ParamSpec("off_topic", .double, default: .double(0), range: 0...1,
                      doc: "share of questions that also pair their majority with the policy's answer to a question of another family"),
            ParamSpec("balance", .bool, default: .bool(false),
                      doc: "cut each family's most frequent preferred answer to the next one's count"),
            ParamSpec("filter", .oneOf(["majority", "correct-answer", "truth-vs-wrong"]), default: .string("majority"),
                      doc: "majority (annotation-free), correct-answer (keep pairs whose majority is the ground truth) or "
                           + "truth-vs-wrong (oracle arm only: the ground truth against every distinct wrong sample, on every question)"),
        ] + BackendParams.specs() + RemoteAnswers.specs(hint: "Answer with a single word or number.") + [
            ParamSpec("max_n", .int, default: .int(16), range: 1...1024, onlyWith: BackendParams.openai,
                      doc: "most samples one request asks for (`n`; llama-server allows up to its slot count)"),
        ]
    }
    public func problems(params: [String: Value]) -> [ParamProblem] { WorldParams.problems(params) + RemoteAnswers.problems(params) }
    public func requiredInputs(params: [String: Value]) -> [String] { BackendParams.requiredInputs(params, modelInput: "policy") }
    public let inputs = [InputSpec("policy", doc: "the model that answers (a model checkpoint; backend: embedded)"),
                         InputSpec("size_of", required: false, doc: "a pair set whose size caps this one (size-matched ablation arm)")]
    public func outputs(params: [String: Value]) -> [String] { ["pairs"] }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        let world = WorldRef(seed: try p.seed("seed"), world: try WorldParams.config(p))
        let count = try p.int("count"), n = try p.int("samples"), iteration = try p.int("iteration")
        let first = (try p.int("first_scene")) + iteration * count * 4
        var rng = WorldRandom(seed: world.seed, stream: RandomStream.closedPairs, index: UInt64(iteration))
        var questions: [(Int, Question)] = []
        for i in 0..<count {
            let scene = SceneGenerator.scene(seed: world.seed, index: first + i, config: world.world)
            let family = rng.pick(Question.Family.closed)
            if let q = QuestionGenerator.question(family, about: scene, rng: &rng, vocabulary: world.world) { questions.append((first + i, q)) }
        }
        let seed = world.seed &+ UInt64(iteration) &* 1_000_003
        var unread = 0
        let decoded: [[String]]
        if BackendParams.isRemote(p) {
            (decoded, unread) = try remoteSamples(questions, n: n, world: world, seed: seed, context)
        } else {
            (decoded, unread) = try embeddedSamples(questions, n: n, world: world, seed: seed, context)
        }
        let correctOnly = (try p.string("filter")) == "correct-answer"
        let alter = (try p.string("agreed")) == "alter"
        let threshold = try p.int("threshold")
        // The family's answer pool for alterations: the policy's own agreed answers (sorted: deterministic).
        var pools: [String: [String]] = [:]
        let offTopic = try p.double("off_topic")
        if alter || offTopic > 0 {
            var seen: [String: Set<String>] = [:]
            for (k, (_, q)) in questions.enumerated() where Set(decoded[k]).count == 1 { seen[q.family.rawValue, default: []].insert(decoded[k][0]) }
            pools = seen.mapValues { $0.sorted() }
        }
        var pairs: [Pair] = [], skipped = 0, dropped = 0, altered = 0
        if (try p.string("filter")) == "truth-vs-wrong" {
            // The oracle's pairs: ground truth against each distinct wrong sample (with `agreed: alter`, against an
            // altered answer where every sample is right; with `off_topic`, also against an off-topic answer), on
            // every question whatever the majority.
            for (k, (scene, q)) in questions.enumerated() {
                var wrong = Array(Set(decoded[k].filter { $0 != q.answer })).sorted()
                if wrong.isEmpty, alter, let bad = ClosedPairShaping.altered(q.answer, pool: pools[q.family.rawValue] ?? [], rng: &rng) {
                    wrong = [bad]
                }
                if offTopic > 0, rng.unit() < offTopic,
                   let bad = ClosedPairShaping.offTopic(q.answer, family: q.family.rawValue, pools: pools, rng: &rng) {
                    wrong.append(bad)
                }
                if wrong.isEmpty { skipped += 1 }
                for w in wrong {
                    pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: q.answer, rejected: w,
                                      source: "ground-truth", truth: q.answer))
                }
            }
        } else {
            for (k, (scene, q)) in questions.enumerated() {
                let candidates = decoded[k]
                var made = MajorityVote.pair(candidates, threshold: threshold, rng: &rng).map { ($0.preferred, $0.rejected, "majority") }
                if made == nil, alter, Set(candidates).count == 1, candidates.count >= threshold,
                   let bad = ClosedPairShaping.altered(candidates[0], pool: pools[q.family.rawValue] ?? [], rng: &rng) {
                    made = (candidates[0], bad, "agreed-altered")
                    altered += 1
                }
                guard let (preferred, rejected, source) = made else { skipped += 1; continue }
                if correctOnly && preferred != q.answer { dropped += 1; continue }
                pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: preferred, rejected: rejected,
                                  source: source, truth: q.answer))
                if offTopic > 0, rng.unit() < offTopic,
                   let bad = ClosedPairShaping.offTopic(preferred, family: q.family.rawValue, pools: pools, rng: &rng) {
                    pairs.append(Pair(scene: scene, family: q.family.rawValue, question: q.text, preferred: preferred, rejected: bad,
                                      source: "off-topic", truth: q.answer))
                }
            }
        }
        if try p.bool("balance") {
            let before = pairs.count
            pairs = ClosedPairShaping.balanced(pairs, family: \.family, preferred: \.preferred, rng: &rng).map { pairs[$0] }
            context.log("balanced preferred answers per family: \(pairs.count) of \(before) pairs kept")
        }
        if let other = context.inputs["size_of"]?.first {
            let cap = try RecordDirectory.read(Pair.self, from: other.path, file: "pairs.jsonl").0.count
            if pairs.count > cap {
                var order = Array(pairs.indices)
                order.shuffle(using: &rng)
                pairs = order.prefix(cap).sorted().map { pairs[$0] }
                context.log("capped at \(cap) pairs to match the size_of input")
            }
        }
        let right = pairs.filter { $0.preferred == $0.truth }.count
        context.log("\(pairs.count) pairs from \(questions.count) questions; \(skipped) without a clear majority"
                    + (alter ? ", \(altered) agreed answers altered" : "")
                    + (correctOnly ? ", \(dropped) dropped as not the ground truth" : "")
                    + (unread > 0 ? ", \(unread) sampled answers unreadable" : "")
                    + "; majority equals ground truth in \(right) of \(pairs.count)")
        try RecordDirectory.write(pairs, world: world, to: context.outputPath("pairs"), file: "pairs.jsonl")
    }

    /// Samples the embedded policy generates per call; sample i of a node is sequence i mod `chunk` of its call.
    static let chunk = 256

    /// N answers per question from the embedded policy, decoded, empty ones left out (as a served model's
    /// unreadable ones are), and how many were empty.
    func embeddedSamples(_ questions: [(Int, Question)], n: Int, world: WorldRef, seed: UInt64, _ context: NodeContext) throws
        -> ([[String]], Int) {
        let p = context.params
        let policy = try Checkpoint.load(try context.input("policy").path, threads: context.threads)
        let tok = policy.tokenizer
        var requests: [GenerationRequest] = []
        for (scene, q) in questions {
            let patches = world.patches(scene, patch: policy.config.patch)
            for _ in 0..<n { requests.append(GenerationRequest(patches: patches, prompt: Prompts.question(q.text, tok), maxNewTokens: 8)) }
        }
        let options = SamplingOptions(temperature: Float(try p.double("temperature")), topK: try p.int("top_k"),
                                      topP: Float(try p.double("top_p")), seed: seed, stop: [tok.eos])
        var answers: [[Int32]] = []
        for start in stride(from: 0, to: requests.count, by: Self.chunk) {
            answers += policy.generate(Array(requests[start..<min(requests.count, start + Self.chunk)]), options: options)
            context.progress(Double(answers.count) / Double(max(1, requests.count)), "sampling")
        }
        let decoded = questions.indices.map { k in answers[(k * n)..<((k + 1) * n)].map { tok.decode($0) } }
        return (decoded.map { $0.filter { !$0.isEmpty } }, decoded.reduce(0) { $0 + $1.filter(\.isEmpty).count })
    }

    /// N normalised answers per question from a served model (unreadable ones left out), and how many
    /// were unreadable.
    func remoteSamples(_ questions: [(Int, Question)], n: Int, world: WorldRef, seed: UInt64, _ context: NodeContext) throws
        -> ([[String]], Int) {
        let session = try BackendParams.session(context, modelInput: "policy")
        defer { BackendParams.finish(session) }
        let p = session.context.params
        let perRequest = try p.int("max_n"), pattern = try p.string("answer_pattern")
        let topK = try p.int("top_k")
        var requests: [ChatRequest] = [], owner: [Int] = []
        for (k, (scene, q)) in questions.enumerated() {
            let image = world.png(scene)
            // Sample i = k·n + j is drawn with the seed the embedded policy gives it (sequence i mod `chunk` of a
            // batched call), so a server that seeds choice c as sequence c (judgeflow serve) samples what the
            // embedded model does: a request never spans a chunk boundary, and starts at its index in the chunk.
            var start = 0
            while start < n {
                let index = k * n + start, room = Self.chunk - index % Self.chunk
                let count = min(perRequest, n - start, room)
                requests.append(try RemoteAnswers.request(p, image: image, question: q.text, n: count,
                                                          temperature: try p.double("temperature"), topP: try p.double("top_p"),
                                                          topK: topK == 0 ? nil : topK,
                                                          seed: SamplingOptions.sequenceSeed(seed, index: index % Self.chunk)))
                owner.append(k)
                start += count
            }
        }
        let responses = try BackendParams.run(requests, session.runner, context, note: "sampling")
        var samples = Array(repeating: [String](), count: questions.count), unread = 0
        for (k, response) in zip(owner, responses) {
            for text in response.texts {
                let answer = RemoteAnswers.normalise(text, pattern: pattern)
                if answer.isEmpty { unread += 1 } else { samples[k].append(answer) }
            }
        }
        return (samples, unread)
    }
}
