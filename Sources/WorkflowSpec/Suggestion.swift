/// "Did you mean …?" for misspelled names: the closest candidate by edit distance, if close enough.
public enum Suggestion {
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = editDistance(word.lowercased(), candidate.lowercased())
            if d <= max(2, word.count / 3), best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
    }

    /// A hint sentence naming the suggestion, or listing what is allowed when nothing is close.
    public static func hint(for word: String, in candidates: [String], noun: String) -> String {
        if let near = closest(to: word, in: candidates) { return "did you mean '\(near)'?" }
        if candidates.isEmpty { return "no \(noun) is defined here" }
        let shown = candidates.sorted().prefix(12).joined(separator: ", ")
        return "known \(noun)s: \(shown)\(candidates.count > 12 ? ", …" : "")"
    }

    /// Levenshtein distance, O(|a|·|b|).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
