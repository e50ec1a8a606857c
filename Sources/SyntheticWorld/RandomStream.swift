/// The named random streams of the world and the loop. Each consumer of randomness draws from its own
/// stream of `WorldRandom(seed:stream:index:)`, so adding draws to one never shifts another's numbers.
/// The values are part of every artifact made with them: changing one changes those artifacts' bytes.
public enum RandomStream {
    /// Scene `index` of a world (`SceneGenerator`).
    public static let scenes: UInt64 = 1
    /// Instruction examples for pretraining, one generator per scene.
    public static let instructions: UInt64 = 2
    /// Benchmark category `c` draws from `benchmarkCategories + c`.
    public static let benchmarkCategories: UInt64 = 40
    /// Closed-ended pair synthesis, one generator per iteration.
    public static let closedPairs: UInt64 = 60
    /// Open-ended pair synthesis, one generator per iteration.
    public static let openPairs: UInt64 = 61
    /// `model.eval`'s held-out questions.
    public static let policyEval: UInt64 = 70
    /// The choice of a model's own wrong samples for benchmark items.
    public static let sampledNegatives: UInt64 = 77
}
