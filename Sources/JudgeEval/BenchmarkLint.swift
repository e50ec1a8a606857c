/// Checks a benchmark for items a judge can get right without looking at the image: a rejected response
/// that uses a word its world never draws (`out-of-world`), one whose answer has another type than the
/// preferred one (`answer-type`: a colour against a number, a sentence against a yes), and one that differs
/// from the preferred response in length (`length`: a judge that counts words separates them). Words and
/// their classes come from the benchmark's `vocabulary` (`BenchmarkDescription`); without one, the
/// out-of-world rule is not applied and single words are typed only as yes/no, number, letter or position.
public enum BenchmarkLint {
    public enum Rule: String, CaseIterable, Sendable, Codable {
        case outOfWorld = "out-of-world", answerType = "answer-type", length
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// 0-based index of the item in the benchmark file.
        public var index: Int
        public var item: String
        public var rule: Rule
        public var message: String
        public var description: String { "\(item): \(rule.rawValue): \(message)" }
    }

    public static func check(_ items: [BenchmarkItem], vocabulary: [String: [String]]?) -> [Finding] {
        var classOf: [String: String] = [:]
        for (name, words) in (vocabulary ?? [:]).sorted(by: { $0.key < $1.key }) {
            for word in words where classOf[word] == nil { classOf[word] = name }
        }
        var found: [Finding] = []
        for (index, item) in items.enumerated() {
            let good = words(item.responses[item.preferred]), bad = words(item.responses[1 - item.preferred])
            func flag(_ rule: Rule, _ message: String) { found.append(Finding(index: index, item: item.id, rule: rule, message: message)) }
            let unknown = vocabulary == nil ? [] : bad.filter { classOf[$0] == nil }
            if !unknown.isEmpty {
                flag(.outOfWorld, "the rejected response uses \(Set(unknown).sorted().map { "'\($0)'" }.joined(separator: ", ")), "
                     + "which the benchmark's world never draws")
            }
            // An unfamiliar word has no type to compare; it is flagged above.
            let goodType = answerType(good, classOf), badType = answerType(bad, classOf)
            if unknown.isEmpty, goodType != badType {
                flag(.answerType, "the preferred response is a \(goodType), the rejected one a \(badType)")
            }
            if good.count != bad.count {
                flag(.length, "the preferred response has \(good.count) words, the rejected one \(bad.count)")
            }
        }
        return found
    }

    static let punctuation: Set<String> = [".", ",", "?", ":", ";", "!"]

    /// Lower-case words split on spaces; punctuation glued to a word is split off.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            var word = Substring(raw)
            var trailing: [String] = []
            while let last = word.last, word.count > 1, punctuation.contains(String(last)) {
                trailing.insert(String(last), at: 0)
                word = word.dropLast()
            }
            out.append(String(word))
            out += trailing
        }
        return out
    }

    /// `yes/no`, `number`, `letter`, `position` (`row R column C`), the vocabulary class of a single
    /// word, `word` for another single word, or `text`.
    static func answerType(_ words: [String], _ classOf: [String: String]) -> String {
        let content = words.filter { !punctuation.contains($0) }
        if content.count == 1 {
            let w = content[0]
            if w == "yes" || w == "no" { return "yes/no" }
            if Int(w) != nil { return "number" }
            if w.count == 1, "abcd".contains(w) { return "letter" }
            if let c = classOf[w], c != "other" { return c }
            return "word"
        }
        if content.count == 4, content[0] == "row", Int(content[1]) != nil, content[2] == "column", Int(content[3]) != nil {
            return "position"
        }
        return "text"
    }
}
