/// Scoring a judge on a benchmark, the way VL-RewardBench and Multimodal RewardBench report it.
///
/// Every item is judged twice, responses in the given order and swapped, so position bias cannot
/// hide: accuracy is over all judgements (the expectation over a random order per item).
/// - `overall` (micro) and `macro` (mean of categories) drop unparseable verdicts from the denominator
///   (VL-RewardBench's convention);
/// - `overallCoinFlip` counts each unparseable verdict as half right (Multimodal RewardBench's);
/// - `positionConsistency` is the share of items whose two judgements pick the same response.
public enum Verdict: String, Codable, Sendable {
    case first, second, unparseable
}

/// The two judgements of one item: `straight` saw `responses` as given, `swapped` saw them reversed.
public struct ItemJudgement: Sendable {
    public var item: BenchmarkItem
    public var straight: Verdict
    public var swapped: Verdict
    public init(item: BenchmarkItem, straight: Verdict, swapped: Verdict) {
        self.item = item
        self.straight = straight
        self.swapped = swapped
    }

    /// Index of the response each judgement preferred, or nil if unparseable.
    var straightChoice: Int? { straight == .unparseable ? nil : (straight == .first ? 0 : 1) }
    var swappedChoice: Int? { swapped == .unparseable ? nil : (swapped == .first ? 1 : 0) }
}

public struct BenchmarkMetrics: Codable, Sendable, Equatable {
    public var items: Int
    public var overall: Double
    public var macro: Double
    public var overallCoinFlip: Double
    public var categories: [String: Double]
    public var positionConsistency: Double
    public var unparseable: Int
    /// Accuracy per kind of error: the part of each item's `source` after its last `/`
    /// (`caption/attribute-exchanged` → `attribute-exchanged`); nil when no item has a source.
    public var kinds: [String: Double]?

    public init(items: Int, overall: Double, macro: Double, overallCoinFlip: Double, categories: [String: Double],
                positionConsistency: Double, unparseable: Int, kinds: [String: Double]? = nil) {
        self.items = items
        self.overall = overall
        self.macro = macro
        self.overallCoinFlip = overallCoinFlip
        self.categories = categories
        self.positionConsistency = positionConsistency
        self.unparseable = unparseable
        self.kinds = kinds
    }

    /// The kind of error an item's rejected response makes, from its `source`.
    public static func kind(of item: BenchmarkItem) -> String? {
        item.source.flatMap { $0.split(separator: "/").last.map(String.init) }
    }

    public static func score(_ judgements: [ItemJudgement]) -> BenchmarkMetrics {
        var right: [String: Int] = [:], judged: [String: Int] = [:], kindRight: [String: Int] = [:], kindJudged: [String: Int] = [:]
        var coinRight = 0.0, consistent = 0, unparseable = 0
        for j in judgements {
            for choice in [j.straightChoice, j.swappedChoice] {
                guard let choice else {
                    unparseable += 1
                    coinRight += 0.5
                    continue
                }
                judged[j.item.category, default: 0] += 1
                let kind = Self.kind(of: j.item)
                if let kind { kindJudged[kind, default: 0] += 1 }
                if choice == j.item.preferred {
                    right[j.item.category, default: 0] += 1
                    if let kind { kindRight[kind, default: 0] += 1 }
                    coinRight += 1
                }
            }
            if let a = j.straightChoice, let b = j.swappedChoice, a == b { consistent += 1 }
        }
        var categories: [String: Double] = [:]
        for (c, n) in judged { categories[c] = Double(right[c] ?? 0) / Double(n) }
        let totalJudged = judged.values.reduce(0, +)
        return BenchmarkMetrics(
            items: judgements.count,
            overall: totalJudged == 0 ? 0 : Double(right.values.reduce(0, +)) / Double(totalJudged),
            // Summed in sorted key order: a Dictionary's order changes between processes, and a float sum's
            // last bit with it, which would make the same judgements write different bytes.
            macro: categories.isEmpty ? 0 : categories.keys.sorted().reduce(0) { $0 + categories[$1]! } / Double(categories.count),
            overallCoinFlip: judgements.isEmpty ? 0 : coinRight / Double(2 * judgements.count),
            categories: categories,
            positionConsistency: judgements.isEmpty ? 0 : Double(consistent) / Double(judgements.count),
            unparseable: unparseable,
            kinds: kindJudged.isEmpty ? nil : kindJudged.reduce(into: [:]) { $0[$1.key] = Double(kindRight[$1.key] ?? 0) / Double($1.value) })
    }
}
