import Foundation

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
            return .json(200, Self.encode(["object": "list", "data": [["id": engine.name, "object": "model", "created": 0, "owned_by": "judgeflow"]]]))
        case ("GET", "/health"):
            return .json(200, Self.encode(["status": "ok"]))
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

    func usage(_ c: CompletionEngine.Completion) -> [String: Any] {
        let completionTokens = c.choices.reduce(0) { $0 + $1.tokens.count }
        return ["prompt_tokens": c.promptTokens, "completion_tokens": completionTokens, "total_tokens": c.promptTokens + completionTokens]
    }

    func logprobs(_ choice: CompletionEngine.Choice, _ range: Range<Int>? = nil) -> Any {
        guard let list = choice.logprobs else { return NSNull() }
        let indices = range ?? 0..<list.count
        return ["content": indices.map { i -> [String: Any] in
            ["token": choice.pieces[i], "logprob": list[i].logprob, "bytes": Array(choice.pieces[i].utf8).map(Int.init),
             "top_logprobs": list[i].top.map { ["token": $0.0, "logprob": $0.1, "bytes": Array($0.0.utf8).map(Int.init)] }]
        }]
    }

    func body(_ c: CompletionEngine.Completion, _ r: ChatCompletionRequest, id: String, created: Int) -> [UInt8] {
        Self.encode(["id": id, "object": "chat.completion", "created": created, "model": engine.name,
                     "choices": c.choices.enumerated().map { i, choice -> [String: Any] in
                         ["index": i, "message": ["role": "assistant", "content": choice.text],
                          "logprobs": r.logprobs ? logprobs(choice) : NSNull(), "finish_reason": choice.finishReason]
                     },
                     "usage": usage(c)])
    }

    /// Server-sent events: per choice a role chunk, a chunk per token, a chunk with the finish reason;
    /// then usage (with `stream_options.include_usage`) and `[DONE]`.
    func stream(_ c: CompletionEngine.Completion, _ r: ChatCompletionRequest, id: String, created: Int) -> HTTPResponse {
        let name = engine.name
        var events: [[UInt8]] = []
        func event(_ choices: [[String: Any]], usage: Any = NSNull()) {
            var object: [String: Any] = ["id": id, "object": "chat.completion.chunk", "created": created, "model": name, "choices": choices]
            if r.includeUsage { object["usage"] = usage }
            events.append(Array("data: ".utf8) + Self.encode(object) + Array("\n\n".utf8))
        }
        for (i, choice) in c.choices.enumerated() {
            event([["index": i, "delta": ["role": "assistant", "content": ""], "logprobs": NSNull(), "finish_reason": NSNull()]])
            for (k, piece) in choice.pieces.enumerated() {
                event([["index": i, "delta": ["content": piece], "logprobs": r.logprobs ? logprobs(choice, k..<(k + 1)) : NSNull(),
                        "finish_reason": NSNull()]])
            }
            event([["index": i, "delta": [String: Any](), "logprobs": NSNull(), "finish_reason": choice.finishReason]])
        }
        if r.includeUsage { event([], usage: usage(c)) }
        events.append(Array("data: [DONE]\n\n".utf8))
        let all = events
        return .stream(contentType: "text/event-stream") { write in
            for e in all { guard write(e) else { return } }
        }
    }

    static func encode(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
