import ChatServerFixture
import Foundation
import ModelBackend
import Testing

/// The request layer against a loopback server that misbehaves on purpose: what is retried, what is
/// not, what the final error says, and that a finished request is never sent twice.
@Suite struct RequestLayerTests {
    static func request(_ i: Int) -> ChatRequest {
        ChatRequest(model: "tiny-test", messages: [ChatMessage(role: "user", content: "question \(i)")], temperature: 0, seed: 0)
    }

    static func runner(_ server: LoopbackChatServer, timeout: Double = 10, inFlight: Int = 4, retries: Int = 5,
                       cache: String? = nil) throws -> RequestRunner {
        RequestRunner(endpoint: try Endpoint(server.baseURL, timeout: timeout, inFlight: inFlight,
                                             retry: RetryPolicy(retries: retries, backoff: 0.01, maxBackoff: 0.05)),
                      cache: cache.map { ResponseCache(directory: $0) })
    }

    static func temporary() -> String { NSTemporaryDirectory() + "jf-requests-" + UUID().uuidString }

    @Test func responsesComeBackInRequestOrderWhateverTheConcurrency() throws {
        let server = LoopbackChatServer { _, json in
            let text = ((json["messages"] as? [[String: Any]])?.first?["content"] as? String) ?? ""
            return .after(seconds: Double.random(in: 0...0.02), .chat(["echo " + text]))
        }
        let responses = try Self.runner(server, inFlight: 8).run((0..<40).map(Self.request))
        #expect(responses.map { $0.texts[0] } == (0..<40).map { "echo question \($0)" })
    }

    @Test func a429WithRetryAfterIsRetriedAfterTheServersWait() throws {
        let server = LoopbackChatServer { index, _ in
            index == 0 ? .status(429, headers: ["Retry-After": "1"], body: #"{"error":"slow down"}"#) : .chat(["ok"])
        }
        let start = Date()
        let responses = try Self.runner(server).run([Self.request(0)])
        #expect(responses[0].texts == ["ok"])
        #expect(server.requests.count == 2)
        #expect(Date().timeIntervalSince(start) >= 0.95, "Retry-After: 1 was not honoured")
    }

    @Test func serverErrorsGarbledAnswersAndDroppedConnectionsAreRetried() throws {
        let server = LoopbackChatServer { index, _ in
            switch index {
            case 0: .status(500, headers: [:], body: "internal error")
            case 1: .status(200, headers: [:], body: "{not json")
            case 2: .drop
            case 3: .status(503, headers: [:], body: "loading model")
            default: .chat(["ok"])
            }
        }
        #expect(try Self.runner(server, inFlight: 1).run([Self.request(0)])[0].texts == ["ok"])
        #expect(server.requests.count == 5)
    }

    @Test func aReplySlowerThanTheTimeoutIsRetriedThenNamedInTheError() throws {
        let server = LoopbackChatServer { _, _ in .after(seconds: 1.5, .chat(["late"])) }
        let runner = try Self.runner(server, timeout: 0.3, inFlight: 1, retries: 1)
        let error = #expect(throws: BackendError.self) { try runner.run([Self.request(0)]) }
        #expect(error == .gaveUp(url: server.baseURL + "/chat/completions", attempts: 2, last: .timedOut(seconds: 0.3)))
    }

    @Test func theLastRetrysErrorNamesTheEndpointTheStatusAndTheBody() throws {
        let server = LoopbackChatServer { _, _ in .status(502, headers: [:], body: "upstream overloaded, try later") }
        let runner = try Self.runner(server, retries: 2)
        let error = #expect(throws: BackendError.self) { try runner.run([Self.request(0)]) }
        if let message = error?.description {
            #expect(message.contains(server.baseURL + "/chat/completions"))
            #expect(message.contains("HTTP 502"))
            #expect(message.contains("upstream overloaded"))
            #expect(message.contains("3 times"))
        }
        #expect(server.requests.count == 3)
    }

    @Test func aBadRequestIsNotRetried() throws {
        let server = LoopbackChatServer { _, _ in
            .status(400, headers: [:], body: #"{"error":{"code":400,"message":"Value must be between 1 <= value <= 4","type":"invalid_request_error"}}"#)
        }
        #expect(throws: BackendError.self) { try Self.runner(server).run([Self.request(0)]) }
        #expect(server.requests.count == 1)
    }

    @Test func finishedRequestsAreNotSentAgainWhenARunFailsAndIsRerun() throws {
        let cache = Self.temporary()
        let failing = LoopbackChatServer { index, _ in
            index < 6 ? .chat(["answer \(index)"]) : .status(400, headers: [:], body: "no more")
        }
        let requests = (0..<10).map(Self.request)
        #expect(throws: BackendError.self) { try Self.runner(failing, inFlight: 1, cache: cache).run(requests) }
        #expect(failing.requests.filter(\.answered).count == 6)
        let healthy = LoopbackChatServer { _, _ in .chat(["fresh"]) }
        let responses = try Self.runner(healthy, inFlight: 3, cache: cache).run(requests)
        #expect(healthy.requests.count == 4, "a request answered before the failure was sent again")
        #expect(responses.prefix(6).map { $0.texts[0] } == (0..<6).map { "answer \($0)" })
        #expect(responses.suffix(4).allSatisfy { $0.texts == ["fresh"] })
    }

    @Test func theRequestBodyIsCanonicalSoItsDigestNamesItsResponse() {
        let a = ChatRequest(model: "m", messages: [ChatMessage(role: "user", parts: [.image([0x89, 0x50, 0x4E, 0x47]), .text("q")])],
                            n: 2, temperature: 0.6, topK: 50, seed: 7, logprobs: true, topLogprobs: 5)
        let text = String(decoding: a.body(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"logprobs":true,"messages":[{"content":[{"image_url":{"url":"data:image\/png;base64,iVBORw=="}"#)
            || text.hasPrefix(#"{"logprobs":true,"messages":[{"content":[{"image_url":{"url":"data:image/png;base64,iVBORw=="}"#))
        #expect(text.contains(#""top_k":50"#) && text.contains(#""top_logprobs":5"#) && !text.contains("grammar"))
        #expect(ResponseCache.name(of: a) == ResponseCache.name(of: a))
        var b = a
        b.seed = 8
        #expect(ResponseCache.name(of: a) != ResponseCache.name(of: b))
    }

    @Test func backoffDoublesWithJitterAndRetryAfterWins() {
        let policy = RetryPolicy(retries: 5, backoff: 0.5, maxBackoff: 4)
        #expect(policy.delay(attempt: 0, retryAfter: nil, jitter: 0.999) < 0.5 + 1e-9)
        #expect(policy.delay(attempt: 2, retryAfter: nil, jitter: 0) == 1)
        #expect(policy.delay(attempt: 10, retryAfter: nil, jitter: 0.999) <= 4)
        #expect(policy.delay(attempt: 0, retryAfter: 7, jitter: 0.5) == 7)
        #expect(RetryPolicy.retryAfter("3") == 3)
        let now = Date(timeIntervalSince1970: 1_000_000_000)
        #expect(RetryPolicy.retryAfter("Sun, 09 Sep 2001 01:46:50 GMT", now: now) == 10)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.isRetryable(status: 429) && RetryPolicy.isRetryable(status: 500) && !RetryPolicy.isRetryable(status: 400))
    }
}

/// What the request layer reads from a server's reply: the fields JudgeFlow uses, null or absent optional
/// fields as nil, and a reply whose field has the wrong type (or with no choice) as no reply.
struct ChatResponseReadingTests {
    @Test func readsChoicesLogprobsAndUsageAndTreatsNullAsAbsent() throws {
        let body = #"{"id":"x","choices":[{"index":1,"message":{"role":"assistant","content":"B"},"finish_reason":"stop","#
            + #""logprobs":{"content":[{"token":"B","logprob":-0.25,"bytes":[66],"top_logprobs":[{"token":"B","logprob":-0.25},"#
            + #"{"token":"A","logprob":-1.5}]}]}},{"index":0,"message":{"content":null},"finish_reason":null,"logprobs":null}],"#
            + #""usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}"#
        let response = try #require(ChatResponse.parse(Array(body.utf8)))
        #expect(response.texts == ["", "B"])
        #expect(response.choices[0].logprobs?.content?.first?.topLogprobs?.map(\.logprob) == [-0.25, -1.5])
        #expect(response.choices[1].finishReason == nil && response.choices[1].logprobs == nil)
        #expect(response.usage == ChatResponse.Usage(promptTokens: 7, completionTokens: 1))
    }

    @Test func aFieldOfTheWrongTypeOrNoChoiceIsNoReply() {
        for body in [#"{"choices":[]}"#, #"{"choices":[{"message":{"content":3}}]}"#, #"{"choices":[{"index":"0","message":{}}]}"#,
                     #"{"choices":[{"message":{"content":"a"},"logprobs":{"content":[{"token":"a"}]}}]}"#,
                     #"{"choices":[{"message":{"content":"a"}}],"usage":{"completion_tokens":"1"}}"#, "not json", "[]"] {
            #expect(ChatResponse.parse(Array(body.utf8)) == nil, "\(body)")
        }
    }
}
