import Foundation
import JudgeEval
import ModelBackend

/// Reading a served judge's verdict from its answer. The verdict is the last match of a pattern whose
/// first group is `A` or `B`; its score is logP(A) − logP(B) at the verdict's token when the server
/// returned logprobs with both letters among the alternatives (`logprobs`), else ±1 from the text
/// (`text`), else 0 and unparseable. Which way each verdict was read is counted (`VerdictTally`).
public enum VerdictReading {
    public enum Source: String, Codable, Sendable { case logprobs, text, unparseable }

    public struct Reading: Sendable, Equatable {
        public var verdict: Verdict
        /// logP(A) − logP(B), or ±1 from the text; 0 when unparseable.
        public var margin: Double
        public var source: Source
    }

    public static let defaultPattern = #"(?i)verdict\W{0,8}(A|B)\b"#

    /// Checks a pattern: it must compile and have at least one capture group.
    public static func problem(pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return "is not a regular expression" }
        return regex.numberOfCaptureGroups >= 1 ? nil : "needs a capture group for the letter, e.g. " + defaultPattern
    }

    /// The reasoning before the verdict: the text up to the pattern's last match, trailing spaces and line
    /// breaks dropped (all of it when nothing matches). This is the trace a served judge is trained on.
    public static func reasoning(_ text: String, pattern: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).last,
              let whole = Range(match.range, in: text) else { return text }
        var before = text[..<whole.lowerBound]
        while let last = before.last, last.isWhitespace { before = before.dropLast() }
        return String(before)
    }

    public static func read(_ choice: ChatResponse.Choice, pattern: String) -> Reading {
        let text = choice.message.content ?? ""
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).last,
              match.numberOfRanges > 1, let group = Range(match.range(at: 1), in: text) else {
            return Reading(verdict: .unparseable, margin: 0, source: .unparseable)
        }
        let letter = text[group].uppercased()
        guard letter == "A" || letter == "B" else { return Reading(verdict: .unparseable, margin: 0, source: .unparseable) }
        let verdict: Verdict = letter == "A" ? .first : .second
        if let tokens = choice.logprobs?.content,
           let margin = margin(tokens, at: text.utf8.distance(from: text.utf8.startIndex, to: group.lowerBound.samePosition(in: text.utf8)!)) {
            return Reading(verdict: verdict, margin: margin, source: .logprobs)
        }
        return Reading(verdict: verdict, margin: letter == "A" ? 1 : -1, source: .text)
    }

    /// logP(A) − logP(B) at the token that starts at byte `offset` of the text the tokens spell, when both
    /// letters are among that position's alternatives (or the chosen one is the token itself).
    static func margin(_ tokens: [ChatResponse.TokenLogprob], at offset: Int) -> Double? {
        var position = 0
        for token in tokens {
            let length = token.token.utf8.count
            defer { position += length }
            guard offset >= position && offset < position + length else { continue }
            var best: [String: Double] = [:]
            for alternative in (token.topLogprobs ?? []) + [ChatResponse.Alternative(token: token.token, logprob: token.logprob)] {
                let word = alternative.token.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
                guard word == "A" || word == "B" else { continue }
                best[word] = max(best[word] ?? -.infinity, alternative.logprob)
            }
            guard let a = best["A"], let b = best["B"], a.isFinite, b.isFinite else { return nil }
            return a - b
        }
        return nil
    }
}

/// How a node's verdicts were read: the parse rate and where the scores came from.
public struct VerdictTally: Codable, Sendable, Equatable {
    public var verdicts = 0
    public var logprobs = 0
    public var text = 0
    public var unparseable = 0

    public init() {}

    public mutating func count(_ reading: VerdictReading.Reading) {
        verdicts += 1
        switch reading.source {
        case .logprobs: logprobs += 1
        case .text: text += 1
        case .unparseable: unparseable += 1
        }
    }

    public var parseRate: Double { verdicts == 0 ? 0 : Double(verdicts - unparseable) / Double(verdicts) }

    public var line: String {
        String(format: "verdicts parsed %.1f%% (%d of %d; %d scored from logprobs, %d from the text)",
               100 * parseRate, verdicts - unparseable, verdicts, logprobs, text)
    }
}
