/// The judge prompt a served judge is given, in one place: the default template (in the paper's spirit:
/// the question, two responses, reason step by step, end with a fixed verdict line), how a template is
/// filled, and how a filled default prompt is read back (`judgeflow serve` answers it with the embedded
/// judge's protocol).
public enum JudgePrompt {
    public static let template = """
        You are a careful judge of answers about an image.
        Question: {question}

        Response A: {response_a}

        Response B: {response_b}

        Which response answers the question about the image more accurately? Check each response against \
        the image, reason step by step, and end with a last line of exactly "Verdict: A" or "Verdict: B".
        """

    public static func fill(_ template: String, question: String, a: String, b: String) -> String {
        template.replacingOccurrences(of: "{question}", with: question)
            .replacingOccurrences(of: "{response_a}", with: a).replacingOccurrences(of: "{response_b}", with: b)
    }

    /// The question and both responses of a prompt filled from the default template, or nil for any other text.
    public static func parse(_ text: String) -> (question: String, a: String, b: String)? {
        let (head, afterQuestion, afterA, tail) = pieces
        guard text.hasPrefix(head), text.hasSuffix(tail), text.count >= head.count + tail.count else { return nil }
        let body = String(text.dropFirst(head.count).dropLast(tail.count))
        guard let q = body.range(of: afterQuestion) else { return nil }
        let question = String(body[..<q.lowerBound]), responses = body[q.upperBound...]
        guard let r = responses.range(of: afterA) else { return nil }
        return (question, String(responses[..<r.lowerBound]), String(responses[r.upperBound...]))
    }

    /// The default template's text around its three slots, split once.
    static let pieces: (head: String, afterQuestion: String, afterA: String, tail: String) = {
        let (head, rest0) = split(template, "{question}")
        let (afterQuestion, rest1) = split(rest0, "{response_a}")
        let (afterA, tail) = split(rest1, "{response_b}")
        return (head, afterQuestion, afterA, tail)
    }()

    static func split(_ text: String, _ slot: String) -> (String, String) {
        guard let r = text.range(of: slot) else { return (text, "") }
        return (String(text[..<r.lowerBound]), String(text[r.upperBound...]))
    }
}
