/// Judges that need no model, computed by the same scoring code as real ones: a seeded coin flip and
/// "prefer the longer response" (ties go to the first position).
public enum ReferenceJudges {
    public static func random(_ items: [BenchmarkItem], seed: UInt64) -> [ItemJudgement] {
        var state = seed
        func flip() -> Verdict {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) & 1 == 0 ? .first : .second
        }
        return items.map { ItemJudgement(item: $0, straight: flip(), swapped: flip()) }
    }

    public static func longer(_ items: [BenchmarkItem]) -> [ItemJudgement] {
        items.map { item in
            let a = item.responses[0].count, b = item.responses[1].count
            return ItemJudgement(item: item, straight: b > a ? .second : .first, swapped: a > b ? .second : .first)
        }
    }
}
