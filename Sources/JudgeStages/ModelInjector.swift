import ModelBackend

/// Error injection by prompting a model, as the paper does: the backend is asked to rewrite an answer
/// with exactly one error of a given kind. This file holds the prompt and the check of the reply; the
/// call itself is `ChatClient`'s.
public enum ModelInjector {
    static func describe(_ kind: ErrorInjector.Kind) -> String {
        switch kind {
        case .object: "change what one object is (e.g. a circle becomes a square)"
        case .attribute: "change one attribute of one object (its colour or its size)"
        case .count: "change how many of one object there are"
        case .position: "move one object to a different place"
        case .addition: "add one object that is not in the image"
        case .omission: "leave out one object that is in the image"
        }
    }

    public static func prompt(question: String, answer: String, kind: ErrorInjector.Kind) -> [ChatMessage] {
        [ChatMessage(role: "system", content: "You corrupt answers for training a judge. Reply with the rewritten answer only, "
                     + "in the same style, words and length as the original, with exactly one error and nothing else changed."),
         ChatMessage(role: "user", content: "Question: \(question)\nAnswer: \(answer)\nError to make: \(describe(kind)).")]
    }

    /// The reply as the rejected response, or nil when it is empty or unchanged (no error was made).
    public static func accept(_ reply: String, original: String) -> String? {
        var text = Substring(reply)
        while let c = text.first, c == " " || c == "\n" || c == "\"" { text = text.dropFirst() }
        while let c = text.last, c == " " || c == "\n" || c == "\"" { text = text.dropLast() }
        if text.hasPrefix("Answer: ") { text = text.dropFirst("Answer: ".count) }
        let rewritten = String(text)
        return rewritten.isEmpty || rewritten == original ? nil : rewritten
    }
}
