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
