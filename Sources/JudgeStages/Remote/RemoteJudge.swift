import Foundation
import JudgeEval
import ModelBackend
import NodeKit

/// A judge behind a server: for each pair it is shown the image, the question and both responses — in
/// the given order and swapped — and asked to reason step by step and end with a verdict line. With
/// `verdict_constraint` the verdict is asked for in a second, one-token request that the server
/// constrains to `A` or `B` (llama.cpp's `grammar`, vLLM's `guided_choice`), so every verdict can be read;
/// without, it is parsed from the reasoning (`VerdictReading`).
struct RemoteJudge {
    static var defaultPrompt: String { JudgePrompt.template }

    static let specs: [ParamSpec] = [
        ParamSpec("judge_prompt", .string, default: .string(defaultPrompt), onlyWith: BackendParams.openai,
                  doc: "the judge's instruction, with {question}, {response_a} and {response_b}; the image is sent before it"),
        ParamSpec("verdict_pattern", .string, default: .string(VerdictReading.defaultPattern), onlyWith: BackendParams.openai,
                  doc: "regular expression whose last match's first group (A or B) is the verdict"),
        ParamSpec("verdict_constraint", .oneOf(["none", "grammar", "guided-choice"]), default: .string("none"),
                  onlyWith: BackendParams.openai,
                  doc: "none (parse the reasoning), grammar (llama.cpp) or guided-choice (vLLM): ask for the verdict in a constrained one-token request"),
        ParamSpec("max_tokens", .int, default: .int(512), range: 1...1_000_000, onlyWith: BackendParams.openai,
                  doc: "longest reasoning the judge may write"),
        ParamSpec("logprobs", .bool, default: .bool(true), onlyWith: BackendParams.openai,
                  doc: "ask for logprobs, so a verdict's score is logP(A) − logP(B) instead of ±1"),
    ]

    static func problems(_ params: [String: Value]) -> [ParamProblem] {
        guard BackendParams.isRemote(params) else { return [] }
        var found = BackendParams.problems(params)
        let prompt = params["judge_prompt"]?.stringValue ?? ""
        for slot in ["{question}", "{response_a}", "{response_b}"] where !prompt.contains(slot) {
            found.append(ParamProblem(param: "judge_prompt", "the prompt lacks \(slot)"))
        }
        if let why = VerdictReading.problem(pattern: params["verdict_pattern"]?.stringValue ?? "") {
            found.append(ParamProblem(param: "verdict_pattern", why))
        }
        return found
    }

    struct Item {
        var image: [UInt8]
        var question: String
        var responses: (String, String)
    }

    /// Both orders' readings of one item, and the reasoning written with the responses as given (the text
    /// before the verdict line, or the whole first answer when the verdict was asked for separately).
    struct Judgement {
        var trace: String
        /// The swapped order's reasoning, when it differs from `trace`.
        var swappedTrace: String?
        var straight: VerdictReading.Reading
        var swapped: VerdictReading.Reading
    }

    let model: String
    let prompt: String
    let pattern: String
    let constraint: String
    let maxTokens: Int
    let logprobs: Bool

    init(_ p: [String: Value]) throws {
        model = try p.string("model")
        prompt = try p.string("judge_prompt")
        pattern = try p.string("verdict_pattern")
        constraint = try p.string("verdict_constraint")
        maxTokens = try p.int("max_tokens")
        logprobs = try p.bool("logprobs")
    }

    func messages(_ item: Item, swapped: Bool) -> [ChatMessage] {
        let (a, b) = swapped ? (item.responses.1, item.responses.0) : item.responses
        let text = JudgePrompt.fill(prompt, question: item.question, a: a, b: b)
        return [ChatMessage(role: "user", parts: [.image(item.image), .text(text)])]
    }

    func reasoning(_ item: Item, swapped: Bool) -> ChatRequest {
        ChatRequest(model: model, messages: messages(item, swapped: swapped), temperature: 0, maxTokens: maxTokens, seed: 0,
                    logprobs: logprobs ? true : nil, topLogprobs: logprobs ? 5 : nil)
    }

    /// The constrained one-token verdict after the reasoning `trace`.
    func verdict(_ item: Item, swapped: Bool, trace: String) -> ChatRequest {
        ChatRequest(model: model, messages: messages(item, swapped: swapped) + [
                        ChatMessage(role: "assistant", content: trace),
                        ChatMessage(role: "user", content: "Your verdict, A or B:")],
                    temperature: 0, maxTokens: 1, seed: 0, logprobs: true, topLogprobs: 5,
                    grammar: constraint == "grammar" ? #"root ::= "A" | "B""# : nil,
                    guidedChoice: constraint == "guided-choice" ? ["A", "B"] : nil)
    }

    func judge(_ items: [Item], runner: RequestRunner, context: NodeContext, tally: inout VerdictTally) throws -> [Judgement] {
        try judge(items, tally: &tally) { requests, note in try BackendParams.run(requests, runner, context, note: note) }
    }

    /// `send` runs a batch of requests (with a note for progress) and returns their responses in order.
    func judge(_ items: [Item], tally: inout VerdictTally, send: ([ChatRequest], String) throws -> [ChatResponse]) throws -> [Judgement] {
        let first = try send(items.flatMap { [reasoning($0, swapped: false), reasoning($0, swapped: true)] }, "judging")
        var traces = first.map { $0.choices[0].message.content ?? "" }
        var readings: [VerdictReading.Reading]
        if constraint == "none" {
            readings = first.map { VerdictReading.read($0.choices[0], pattern: pattern) }
            traces = traces.map { VerdictReading.reasoning($0, pattern: pattern) }
        } else {
            let second = try send(items.enumerated().flatMap { k, item in
                [verdict(item, swapped: false, trace: traces[2 * k]), verdict(item, swapped: true, trace: traces[2 * k + 1])]
            }, "verdicts")
            readings = second.map { VerdictReading.read($0.choices[0], pattern: #"^\W*(A|B)"#) }
        }
        for reading in readings { tally.count(reading) }
        return items.indices.map {
            Judgement(trace: traces[2 * $0], swappedTrace: traces[2 * $0 + 1] == traces[2 * $0] ? nil : traces[2 * $0 + 1],
                      straight: readings[2 * $0], swapped: readings[2 * $0 + 1])
        }
    }
}
