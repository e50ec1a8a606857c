/// The world's closed vocabulary: every word any question, answer, caption or judgement template of
/// the embedded world can use, in a fixed order (the tokenizer's ids follow it).
public enum WorldVocabulary {
    public static let punctuation = [".", ",", "?", ":"]
    public static let numbers = (0...16).map(String.init)
    public static let function = [
        "a", "the", "is", "are", "there", "how", "many", "what", "where", "which", "of", "in", "row", "column",
        "objects", "object", "color", "shape", "more", "than", "left", "above", "or", "total", "describe", "image",
        "list", "yes", "no", "b", "c", "nothing", "and", "not",
    ]

    /// Words of the judge's prompt and reasoning traces (kept here so the vocabulary stays closed).
    public static let judge = [
        "question", "response", "better", "worse", "answer", "judge", "compare", "correct", "wrong", "says",
        "first", "second", "verdict", "both", "agree", "mentions", "misses", "missing", "extra", "same", "differ",
        "check", "count", "i", "see", "so", "because", "responses",
    ]

    public static var words: [String] {
        var seen = Set<String>()
        var out: [String] = []
        let all = punctuation + numbers + function + Shape.allCases.flatMap { [$0.rawValue, $0.plural] }
            + Colour.allCases.map(\.rawValue) + Size.allCases.map(\.rawValue) + judge
        for w in all where seen.insert(w).inserted { out.append(w) }
        return out
    }
}

extension WorldVocabulary {
    /// The words a world with `config` can put in an answer, by class: `colour`, `shape` (singular and
    /// plural), `size`, `number` (0 up to the larger of the grid side and the most objects a scene holds)
    /// and `other` (punctuation and the answer templates' words). A benchmark records it, and `judgeflow
    /// bench lint` flags a response with a word outside it: a judge could spot such a response by the
    /// unfamiliar word alone.
    public static func drawn(by config: WorldConfig) -> [String: [String]] {
        ["colour": config.colours.map(\.rawValue),
         "shape": config.shapes.flatMap { [$0.rawValue, $0.plural] },
         "size": Size.allCases.map(\.rawValue),
         "number": (0...max(config.grid, config.maxObjects)).map(String.init),
         "other": punctuation + ["a", "in", "row", "column", "there", "is", "nothing", "yes", "no", "b", "c"]]
    }
}
