import Foundation
import JSONText

/// The API's routes over a `CompletionEngine`: `GET /v1/models`, `GET /health`, `POST /v1/chat/completions`
/// (a JSON completion, or with `stream: true` server-sent events ending `data: [DONE]`); every failure
/// an `OpenAIError` body. A request that makes the engine fail unexpectedly is a 500, never a crash.
public struct OpenAIRoutes: Sendable {
    public let engine: CompletionEngine
    private let counter = Counter()

    public init(engine: CompletionEngine) { self.engine = engine }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
        switch (request.method, path) {
        case ("GET", "/v1/models"), ("GET", "/models"):
            return .json(200, JSONValue.object([("object", .string("list")), ("data", .array([.object([
                ("id", .string(engine.name)), ("object", .string("model")), ("created", .int(0)), ("owned_by", .string("judgeflow"))])]))]).bytes())
        case ("GET", "/health"):
            return .json(200, JSONValue.object([("status", .string("ok"))]).bytes())
        case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"):
            do throws(OpenAIError) {
                let parsed = try ChatCompletionRequest.parse(request.body)
                let completion = try engine.complete(parsed)
                let id = "chatcmpl-\(counter.next())", created = Int(Date().timeIntervalSince1970)
                return parsed.stream ? stream(completion, parsed, id: id, created: created) : .json(200, body(completion, parsed, id: id, created: created))
            } catch {
                return .json(error.status, error.body)
            }
        case (_, "/v1/models"), (_, "/v1/chat/completions"), (_, "/health"):
            return .json(405, OpenAIError(status: 405, message: "\(request.method) is not allowed on \(path)").body)
        default:
            return .json(404, OpenAIError(status: 404, message: "no route \(request.method) \(path); this server has GET /v1/models and POST /v1/chat/completions").body)
        }
    }

    func usage(_ c: CompletionEngine.Completion) -> JSONValue {
        let completionTokens = c.choices.reduce(0) { $0 + $1.tokens.count }
        return .object([("prompt_tokens", .int(c.promptTokens)), ("completion_tokens", .int(completionTokens)),
                        ("total_tokens", .int(c.promptTokens + completionTokens))])
    }

    func logprobs(_ choice: CompletionEngine.Choice, _ range: Range<Int>? = nil) -> JSONValue {
        guard let list = choice.logprobs else { return .null }
        func bytes(_ text: String) -> JSONValue { .array(text.utf8.map { .int($0) }) }
        return .object([("content", .array((range ?? 0..<list.count).map { i in
            .object([("token", .string(choice.pieces[i])), ("logprob", .double(list[i].logprob)), ("bytes", bytes(choice.pieces[i])),
                     ("top_logprobs", .array(list[i].top.map { .object([("token", .string($0.0)), ("logprob", .double($0.1)), ("bytes", bytes($0.0))]) }))])
        }))])
    }

    func body(_ c: CompletionEngine.Completion, _ r: ChatCompletionRequest, id: String, created: Int) -> [UInt8] {
        JSONValue.object([
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)), ("model", .string(engine.name)),
            ("choices", .array(c.choices.enumerated().map { i, choice in
                .object([("index", .int(i)), ("message", .object([("role", .string("assistant")), ("content", .string(choice.text))])),
                         ("logprobs", r.logprobs ? logprobs(choice) : .null), ("finish_reason", .string(choice.finishReason))])
            })),
            ("usage", usage(c)),
        ]).bytes()
    }

    /// Server-sent events: per choice a role chunk, a chunk per token, a chunk with the finish reason;
    /// then usage (with `stream_options.include_usage`) and `[DONE]`.
    func stream(_ c: CompletionEngine.Completion, _ r: ChatCompletionRequest, id: String, created: Int) -> HTTPResponse {
        let name = engine.name
        var events: [[UInt8]] = []
        func event(_ choices: [JSONValue], usage: JSONValue = .null) {
            var fields: [(String, JSONValue)] = [("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
                                                 ("model", .string(name)), ("choices", .array(choices))]
            if r.includeUsage { fields.append(("usage", usage)) }
            events.append(Array("data: ".utf8) + JSONValue.object(fields).bytes() + Array("\n\n".utf8))
        }
        func chunk(_ i: Int, delta: [(String, JSONValue)], logprobs: JSONValue = .null, finish: JSONValue = .null) -> JSONValue {
            .object([("index", .int(i)), ("delta", .object(delta)), ("logprobs", logprobs), ("finish_reason", finish)])
        }
        for (i, choice) in c.choices.enumerated() {
            event([chunk(i, delta: [("role", .string("assistant")), ("content", .string(""))])])
            for (k, piece) in choice.pieces.enumerated() {
                event([chunk(i, delta: [("content", .string(piece))], logprobs: r.logprobs ? logprobs(choice, k..<(k + 1)) : .null)])
            }
            event([chunk(i, delta: [], finish: .string(choice.finishReason))])
        }
        if r.includeUsage { event([], usage: usage(c)) }
        events.append(Array("data: [DONE]\n\n".utf8))
        let all = events
        return .stream(contentType: "text/event-stream") { write in
            for e in all { guard write(e) else { return } }
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
