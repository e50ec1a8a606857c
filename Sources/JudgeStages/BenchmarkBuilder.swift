import JudgeEval
import SyntheticWorld

/// Builds VL-RewardBench-style and Multimodal-RewardBench-style item sets from held-out scenes of the
/// embedded world. Preferred responses are ground truth; rejected ones are realistic mistakes — scene-level
/// perturbations of captions and row lists and plausible wrong closed answers from `BenchmarkPerturbation`
/// (never the training-time `ErrorInjector`), and, when supplied, the embedded model's own wrong samples.
/// Every question and every wrong value uses only what the world draws, and both responses of an item have
/// as many words (`BenchmarkLint` checks a built benchmark for exactly this).
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
            // `slot` picks the kind in turn; a kind that `patience` scenes in a row cannot take (say, a
            // replaced object in a world of at most two objects) gives its turn to the next.
            var made = 0, attempts = 0, slot = 0, misses = 0
            while made < itemsPerCategory && attempts < itemsPerCategory * 50 {
                attempts += 1
                if misses >= Self.patience {
                    slot += 1
                    misses = 0
                }
                let s = scene(sceneIndex)
                sceneIndex += 1
                // Half the one-object scenes are passed over: most items show two or more objects, where
                // a wrong value can come from another object of the same scene.
                if s.objects.count < 2, rng.below(2) == 0 { continue }
                guard let (query, good, bad, source) = pair(for: category, slot: slot, scene: s, rng: &rng), good != bad else {
                    misses += 1
                    continue
                }
                let flip = rng.below(2) == 1
                let id = "\(style == .vlRewardBench ? "vlrb" : "mmrb")-\(category)-\(made)"
                out.append(Draft(item: BenchmarkItem(id: id, category: category, image: "images/\(sceneIndex - 1).png", query: query,
                                                     responses: flip ? [bad, good] : [good, bad], preferred: flip ? 1 : 0,
                                                     source: source),
                                 scene: sceneIndex - 1))
                made += 1
                slot += 1
                misses = 0
            }
        }
        return out
    }

    /// Scenes in a row a kind may fail to apply to before the next kind takes its turn.
    static let patience = 40

    /// (query, preferred, rejected, provenance) for the category's item number `slot`, or nil if this
    /// scene cannot make one. The slot decides the question family or kind of error in turn, so each
    /// category holds its kinds in equal shares (a kind a scene cannot take waits for the next scene).
    /// Provenance is `family/kind`, so the metrics can report accuracy per kind of error.
    func pair(for category: String, slot: Int, scene s: Scene, rng: inout WorldRandom) -> (String, String, String, String)? {
        func turn<T>(_ choices: [T]) -> T { choices[slot % choices.count] }
        switch category {
        case "general":
            return closedPair(turn([.count, .colour, .shape, .position, .existence]), s, &rng)
        case "hallucination":
            return openPair(turn(BenchmarkPerturbation.Kind.allCases), s, &rng)
        case "reasoning":
            return closedPair(turn([.compare, .relation, .arithmetic]), s, &rng)
        case "correctness":
            return closedPair(turn([.count, .colour, .shape, .position]), s, &rng)
        case "vqa":
            return closedPair(turn([.existence, .choice, .count, .colour]), s, &rng)
        case "preference":
            // Both responses are fluent and name only what the scene shows; the preferred one binds
            // every attribute and cell to the right object.
            return openPair(turn([.attributeExchanged, .attributesSwapped, .positionsExchanged]), s, &rng)
        default:
            return nil
        }
    }

    /// A caption (two thirds) or a row list with one perturbation of `kind`.
    func openPair(_ kind: BenchmarkPerturbation.Kind, _ s: Scene, _ rng: inout WorldRandom) -> (String, String, String, String)? {
        if rng.below(3) == 0 {
            guard let q = QuestionGenerator.question(.list, about: s, rng: &rng, vocabulary: world),
                  let row = q.text.split(separator: " ").compactMap({ Int($0) }).first,
                  let bad = BenchmarkPerturbation.rowList(kind, of: s, row: row - 1, rng: &rng) else { return nil }
            return (q.text, q.answer, bad, "list/\(kind.rawValue)")
        }
        guard let q = QuestionGenerator.question(.caption, about: s, rng: &rng, vocabulary: world),
              let bad = BenchmarkPerturbation.caption(kind, of: s, rng: &rng) else { return nil }
        return (q.text, q.answer, bad, "caption/\(kind.rawValue)")
    }

    /// A closed question of `family` with a wrong answer of the truth's type. Yes/no questions are
    /// balanced: each item first draws which answer is true, so preferring `no` wins nothing. An existence
    /// question whose answer is `no` asks, where the scene allows, for a combination the scene lacks
    /// though it shows both of its attributes.
    func closedPair(_ family: Question.Family, _ s: Scene, _ rng: inout WorldRandom) -> (String, String, String, String)? {
        var question: Question?
        if [.existence, .compare, .relation].contains(family) {
            let want = rng.below(2) == 0 ? "yes" : "no"
            if family == .existence, want == "no", s.objects.count >= 2,
               let q = BenchmarkPerturbation.absentCombination(in: s, rng: &rng) {
                return (q.text, q.answer, "yes", "existence/absent-combination")
            }
            for _ in 0..<8 {
                guard let q = QuestionGenerator.question(family, about: s, rng: &rng, vocabulary: world) else { break }
                if q.answer == want {
                    question = q
                    break
                }
            }
        } else {
            question = QuestionGenerator.question(family, about: s, rng: &rng, vocabulary: world)
        }
        guard let q = question, let (bad, kind) = BenchmarkPerturbation.wrongAnswer(to: q, in: s, world: world, rng: &rng) else { return nil }
        return (q.text, q.answer, bad, "\(family.rawValue)/\(kind.rawValue)")
    }
}
