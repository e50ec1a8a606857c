import JudgeEval
import SyntheticWorld

/// Builds VL-RewardBench-style and Multimodal-RewardBench-style item sets from held-out scenes of the
/// embedded world. Preferred responses are ground truth; rejected ones are realistic mistakes — answers to
/// the wrong question, scene-level perturbations and plausible wrong closed answers from
/// `BenchmarkPerturbation` (never the training-time `ErrorInjector`), and, when supplied, the embedded
/// model's own wrong samples.
public struct BenchmarkBuilder: Sendable {
    public enum Style: String, CaseIterable, Codable, Sendable {
        case vlRewardBench = "vl-rewardbench", multimodalRewardBench = "multimodal-rewardbench"

        public var categories: [String] {
            switch self {
            case .vlRewardBench: ["general", "hallucination", "reasoning"]
            case .multimodalRewardBench: ["correctness", "preference", "reasoning", "vqa"]
            }
        }
    }

    /// An item before its image is written: the scene index it shows.
    public struct Draft: Sendable, Equatable {
        public var item: BenchmarkItem
        public var scene: Int
    }

    public var style: Style
    public var seed: UInt64
    public var itemsPerCategory: Int
    public var world: WorldConfig

    public init(style: Style, seed: UInt64, itemsPerCategory: Int, world: WorldConfig = WorldConfig()) {
        self.style = style
        self.seed = seed
        self.itemsPerCategory = itemsPerCategory
        self.world = world
    }

    /// Benchmark scenes come from their own stream of the world, so no training scene (stream 1 of a
    /// training seed) can coincide with one.
    public func scene(_ index: Int) -> Scene {
        SceneGenerator.scene(seed: seed ^ 0xBE7C_4B3E_0000_0000 &+ UInt64(style == .vlRewardBench ? 1 : 2), index: index, config: world)
    }

    public func drafts() -> [Draft] {
        var out: [Draft] = []
        var sceneIndex = 0
        for (c, category) in style.categories.enumerated() {
            var rng = WorldRandom(seed: seed, stream: RandomStream.benchmarkCategories + UInt64(c), index: 0)
            var made = 0, attempts = 0
            while made < itemsPerCategory && attempts < itemsPerCategory * 50 {
                attempts += 1
                let s = scene(sceneIndex)
                sceneIndex += 1
                guard let (query, good, bad, source) = pair(for: category, scene: s, rng: &rng), good != bad else { continue }
                let flip = rng.below(2) == 1
                let id = "\(style == .vlRewardBench ? "vlrb" : "mmrb")-\(category)-\(made)"
                out.append(Draft(item: BenchmarkItem(id: id, category: category, image: "images/\(sceneIndex - 1).png", query: query,
                                                     responses: flip ? [bad, good] : [good, bad], preferred: flip ? 1 : 0,
                                                     source: source),
                                 scene: sceneIndex - 1))
                made += 1
            }
        }
        return out
    }

    /// (query, preferred, rejected, provenance) for one category, or nil if this scene cannot make one.
    func pair(for category: String, scene s: Scene, rng: inout WorldRandom) -> (String, String, String, String)? {
        switch category {
        case "general":
            // Instruction following: the rejected response answers a different question about the image.
            let family = rng.pick([Question.Family.count, .colour, .shape, .position, .existence])
            guard let q = QuestionGenerator.question(family, about: s, rng: &rng) else { return nil }
            let others = Question.Family.closed.filter { $0 != family && !$0.isReasoning }
            guard let off = QuestionGenerator.question(rng.pick(others), about: s, rng: &rng), off.answer != q.answer else { return nil }
            return (q.text, q.answer, off.answer, "\(family.rawValue)/answers-\(off.family.rawValue)")
        case "hallucination":
            let kind = rng.pick(BenchmarkPerturbation.Kind.allCases)
            if rng.below(3) == 0 {
                guard let q = QuestionGenerator.question(.list, about: s, rng: &rng),
                      let row = q.text.split(separator: " ").compactMap({ Int($0) }).first,
                      let bad = BenchmarkPerturbation.rowList(kind, of: s, row: row - 1, rng: &rng) else { return nil }
                return (q.text, q.answer, bad, "list/\(kind.rawValue)")
            }
            guard let q = QuestionGenerator.question(.caption, about: s, rng: &rng),
                  let bad = BenchmarkPerturbation.caption(kind, of: s, rng: &rng) else { return nil }
            return (q.text, q.answer, bad, "caption/\(kind.rawValue)")
        case "reasoning":
            return closedPair(rng.pick([.compare, .relation, .arithmetic]), s, &rng)
        case "correctness":
            return closedPair(rng.pick([.count, .colour, .shape, .position]), s, &rng)
        case "vqa":
            return closedPair(rng.pick([.existence, .choice, .count, .colour]), s, &rng)
        case "preference":
            // Both plausible; the preferred one is complete and exact.
            guard let q = QuestionGenerator.question(.caption, about: s, rng: &rng), s.objects.count >= 2 else { return nil }
            if rng.below(2) == 0 {
                let vague = q.answer.split(separator: " ").filter { $0 != "small" && $0 != "large" }.joined(separator: " ")
                return (q.text, q.answer, vague, "caption/vague")
            }
            guard let bad = BenchmarkPerturbation.caption(.overlookedObject, of: s, rng: &rng) else { return nil }
            return (q.text, q.answer, bad, "caption/incomplete")
        default:
            return nil
        }
    }

    func closedPair(_ family: Question.Family, _ s: Scene, _ rng: inout WorldRandom) -> (String, String, String, String)? {
        guard let q = QuestionGenerator.question(family, about: s, rng: &rng),
              let bad = BenchmarkPerturbation.wrongAnswer(to: q, in: s, rng: &rng) else { return nil }
        return (q.text, q.answer, bad, "\(family.rawValue)/perturbed")
    }
}
