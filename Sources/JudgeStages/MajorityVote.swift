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

/// Closed-ended pairs beyond the paper's rule, all annotation-free.
///
/// - `altered`: when all N samples agree there is no other sample to reject, so the paper's rule makes no
///   pair — and closed pairs then exist only on the questions the policy finds hard. Here the rejected
///   response is a detail alteration of the agreed answer (the paper's open-ended recipe, applied to a short
///   answer): another answer of the same question family, drawn from the policy's own majority answers to
///   other questions of that family in this set (so it is well-formed: a count for a count, a cell for a
///   position).
/// - `balanced`: within a family, the most frequent preferred answer is cut (a seeded random subset) to
///   the count of the next most frequent one. The policy disagrees with itself mostly on one side of a
///   yes/no family (measured: every existence pair preferred `yes`, 96% of relation pairs `no`), and a
///   judge trained on such pairs learns the answer's prior instead of checking the response.
public enum ClosedPairShaping {
    public static func altered(_ answer: String, pool: [String], rng: inout WorldRandom) -> String? {
        let others = pool.filter { $0 != answer }
        return others.isEmpty ? nil : others[rng.below(others.count)]
    }

    /// An off-topic response (Self-Taught Evaluators' answer to a modified instruction): one of the policy's
    /// agreed answers to a question of another family (a colour for a count, a cell for a yes/no question),
    /// never the preferred answer itself.
    public static func offTopic(_ answer: String, family: String, pools: [String: [String]], rng: inout WorldRandom) -> String? {
        let others = pools.keys.sorted().filter { $0 != family }.flatMap { pools[$0]! }.filter { $0 != answer }
        let distinct = Array(Set(others)).sorted()
        return distinct.isEmpty ? nil : distinct[rng.below(distinct.count)]
    }

    /// Indices of `items` kept, in their original order.
    public static func balanced<T>(_ items: [T], family: (T) -> String, preferred: (T) -> String, rng: inout WorldRandom) -> [Int] {
        var groups: [String: [String: [Int]]] = [:]
        for (i, item) in items.enumerated() { groups[family(item), default: [:]][preferred(item), default: []].append(i) }
        var kept: [Int] = []
        for f in groups.keys.sorted() {
            let byAnswer = groups[f]!
            let sizes = byAnswer.values.map(\.count).sorted(by: >)
            guard sizes.count > 1 else { kept += byAnswer.values.flatMap { $0 }; continue }
            let cap = sizes[1]
            for a in byAnswer.keys.sorted() {
                var ids = byAnswer[a]!
                if ids.count > cap {
                    ids.shuffle(using: &rng)
                    ids = Array(ids.prefix(cap))
                }
                kept += ids
            }
        }
        return kept.sorted()
    }
}
