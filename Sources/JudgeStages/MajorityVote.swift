import SyntheticWorld

/// Closed-ended pair synthesis: N sampled answers to one question become (majority, random other) when
/// the majority is clear.
public enum MajorityVote {
    public struct Pair: Equatable, Sendable {
        public var preferred: String
        public var rejected: String
        /// How many of the samples gave the preferred answer.
        public var votes: Int
    }

    /// The majority answer must have at least `threshold` votes and strictly more than any other answer;
    /// the rejected answer is one of the other samples drawn uniformly (so frequent mistakes are drawn more
    /// often, as a real policy makes them). Nil when there is no clear majority or no other answer.
    public static func pair(_ candidates: [String], threshold: Int, rng: inout WorldRandom) -> Pair? {
        var counts: [String: Int] = [:]
        for c in candidates { counts[c, default: 0] += 1 }
        // Deterministic order: by count, then text.
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let top = ranked.first, top.value >= threshold else { return nil }
        if ranked.count > 1 && ranked[1].value == top.value { return nil }
        let others = candidates.filter { $0 != top.key }
        guard !others.isEmpty else { return nil }
        return Pair(preferred: top.key, rejected: others[rng.below(others.count)], votes: top.value)
    }
}
