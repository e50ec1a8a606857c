import Foundation
import ModelBackend
import NodeKit

/// A served model answering the world's questions: the image, then the question and `answer_hint`, as one
/// user message. Its answers are normalised before they are compared or voted on (`normalise`): the
/// first group of `answer_pattern` when one is given, else the whole reply; then the first non-empty
/// line, lowercased, surrounding quotes and markup and a trailing full stop removed, spaces collapsed.
/// An answer that normalises to nothing is unparseable and is left out of a vote.
enum RemoteAnswers {
    static func specs(hint: String) -> [ParamSpec] {
        [ParamSpec("answer_hint", .string, default: .string(hint), onlyWith: BackendParams.openai,
                   doc: "text sent after the question (e.g. the answer's form)"),
         ParamSpec("answer_pattern", .string, default: .string(""), onlyWith: BackendParams.openai,
                   doc: "regular expression whose first group is the answer (empty: the whole reply)"),
         ParamSpec("max_tokens", .int, default: .int(256), range: 1...1_000_000, onlyWith: BackendParams.openai,
                   doc: "longest answer the model may write")]
    }

    static func problems(_ params: [String: Value]) -> [ParamProblem] {
        guard BackendParams.isRemote(params) else { return [] }
        var found = BackendParams.problems(params)
        if let pattern = params["answer_pattern"]?.stringValue, !pattern.isEmpty,
           (try? NSRegularExpression(pattern: pattern))?.numberOfCaptureGroups ?? 0 < 1 {
            found.append(ParamProblem(param: "answer_pattern", "must be a regular expression with a capture group for the answer"))
        }
        return found
    }

    static func request(_ p: [String: Value], image: [UInt8], question: String, n: Int?, temperature: Double, topP: Double?,
                        topK: Int?, seed: UInt64) throws -> ChatRequest {
        let hint = try p.string("answer_hint")
        return ChatRequest(model: try p.string("model"),
                           messages: [ChatMessage(role: "user", parts: [.image(image), .text(hint.isEmpty ? question : question + "\n" + hint)])],
                           n: n, temperature: temperature, topP: topP, topK: topK, maxTokens: try p.int("max_tokens"), seed: seed)
    }

    static func normalise(_ reply: String, pattern: String) -> String {
        var text = reply
        if !pattern.isEmpty, let regex = try? NSRegularExpression(pattern: pattern),
           let match = regex.firstMatch(in: reply, range: NSRange(reply.startIndex..., in: reply)),
           match.numberOfRanges > 1, let group = Range(match.range(at: 1), in: reply) {
            text = String(reply[group])
        }
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        var words = line.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let wrapping: Set<Character> = ["\"", "'", "*", "`", "_"]
        while let c = words.first, wrapping.contains(c) { words.removeFirst() }
        while let c = words.last, wrapping.contains(c) || c == "." || c == " " { words.removeLast() }
        return words
    }
}
