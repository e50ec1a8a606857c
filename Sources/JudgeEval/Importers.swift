import Foundation

/// Converts the public releases' field layouts into `BenchmarkItem`s (see ../shared/docs/benchmarks.md).
public enum BenchmarkImporter {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var record: Int
        public var message: String
        public var description: String { "record \(record): \(message)" }
    }

    /// VL-RewardBench categories by `query_source` (or the `id` prefix when that is missing).
    static let vlRewardBenchCategories: [(prefix: String, category: String)] = [
        ("wildvision", "general"), ("vlfeedback", "general"),
        ("povid", "hallucination"), ("rlaif", "hallucination"), ("rlhf", "hallucination"),
        ("mmmu", "reasoning"), ("mathverse", "reasoning"),
    ]

    /// VL-RewardBench JSON lines: `id`, `query`, `image_path` (or `image`), `response` (two strings),
    /// `human_ranking` (`[0, 1]`: the first is preferred), `query_source`.
    public static func vlRewardBench(_ records: [[String: Any]]) throws(Failure) -> [BenchmarkItem] {
        var items: [BenchmarkItem] = []
        for (n, r) in records.enumerated() {
            guard let responses = r["response"] as? [String], responses.count == 2 else {
                throw Failure(record: n + 1, message: "`response` must hold two strings")
            }
            guard let ranking = (r["human_ranking"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), ranking.count == 2 else {
                throw Failure(record: n + 1, message: "`human_ranking` must be [0, 1] or [1, 0]")
            }
            let id = (r["id"] as? String) ?? String(n + 1)
            let source = ((r["query_source"] as? String) ?? id).lowercased()
            let category = vlRewardBenchCategories.first { source.hasPrefix($0.prefix) || source.contains($0.prefix) }?.category ?? "general"
            let image = (r["image_path"] as? String) ?? (r["image"] as? String) ?? ""
            items.append(BenchmarkItem(id: id, category: category, image: image, query: (r["query"] as? String) ?? "",
                                       responses: responses, preferred: ranking[0] <= ranking[1] ? 0 : 1, source: source))
        }
        return items
    }

    /// Multimodal RewardBench `all_data.json`: `ID`, `Text`, `Image`, `Output1`, `Output2`,
    /// `Better` ("Output1" or "Output2"), `Meta.Category`.
    public static func multimodalRewardBench(_ records: [[String: Any]]) throws(Failure) -> [BenchmarkItem] {
        var items: [BenchmarkItem] = []
        for (n, r) in records.enumerated() {
            guard let a = r["Output1"] as? String, let b = r["Output2"] as? String, let better = r["Better"] as? String,
                  better == "Output1" || better == "Output2" else {
                throw Failure(record: n + 1, message: "needs Output1, Output2 and Better (\"Output1\" or \"Output2\")")
            }
            let category = ((r["Meta"] as? [String: Any])?["Category"] as? String) ?? "unknown"
            items.append(BenchmarkItem(id: "\(r["ID"] ?? n + 1)", category: category, image: (r["Image"] as? String) ?? "",
                                       query: (r["Text"] as? String) ?? "", responses: [a, b], preferred: better == "Output1" ? 0 : 1))
        }
        return items
    }
}
