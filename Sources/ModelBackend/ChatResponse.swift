import Foundation
import JSONText

/// A chat completion as OpenAI-compatible servers return it: only the fields JudgeFlow reads, each
/// optional where servers differ (content may be null; logprobs and usage may be absent).
public struct ChatResponse: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var index: Int?
        public var message: Message
        public var finishReason: String?
        public var logprobs: Logprobs?

        public init(index: Int? = nil, message: Message, finishReason: String? = nil, logprobs: Logprobs? = nil) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
            self.logprobs = logprobs
        }

    }

    public struct Message: Sendable, Equatable {
        public var content: String?
        public init(content: String?) { self.content = content }
    }

    public struct Logprobs: Sendable, Equatable {
        public var content: [TokenLogprob]?
        public init(content: [TokenLogprob]?) { self.content = content }
    }

    /// One generated token with its log-probability and the most likely alternatives at its position.
    public struct TokenLogprob: Sendable, Equatable {
        public var token: String
        public var logprob: Double
        public var topLogprobs: [Alternative]?

        public init(token: String, logprob: Double, topLogprobs: [Alternative]? = nil) {
            self.token = token
            self.logprob = logprob
            self.topLogprobs = topLogprobs
        }

    }

    public struct Alternative: Sendable, Equatable {
        public var token: String
        public var logprob: Double
        public init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    public struct Usage: Sendable, Equatable {
        public var promptTokens: Int?
        public var completionTokens: Int?

        public init(promptTokens: Int? = nil, completionTokens: Int? = nil) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }
    }

    public var choices: [Choice]
    public var usage: Usage?

    public init(choices: [Choice], usage: Usage? = nil) {
        self.choices = choices
        self.usage = usage
    }

    /// Each choice's text in index order (an absent content reads as empty).
    public var texts: [String] {
        choices.enumerated().sorted { ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset) }
            .map { $0.element.message.content ?? "" }
    }

    /// Parses a response body; a body that is not a chat completion with at least one choice is nil, as is
    /// one whose field has another type than the API's (a null or absent optional field is nil).
    public static func parse(_ body: [UInt8]) -> ChatResponse? {
        guard let json = JSONValue.parse(body), let response = try? ChatResponse(json: json), !response.choices.isEmpty else { return nil }
        return response
    }

    struct Mismatch: Error {}

    init(json: JSONValue) throws(Mismatch) {
        guard let list = json["choices"]?.items else { throw Mismatch() }
        choices = try list.map { item throws(Mismatch) in
            guard let message = item["message"], message.fields != nil else { throw Mismatch() }
            return Choice(index: try Self.optional(item["index"]) { $0.int },
                          message: Message(content: try Self.optional(message["content"]) { $0.string }),
                          finishReason: try Self.optional(item["finish_reason"]) { $0.string },
                          logprobs: try Self.optional(item["logprobs"]) { v throws(Mismatch) in
                              guard v.fields != nil else { throw Mismatch() }
                              return Logprobs(content: try Self.optional(v["content"]) { c throws(Mismatch) in
                                  guard let tokens = c.items else { throw Mismatch() }
                                  return try tokens.map(Self.tokenLogprob)
                              })
                          })
        }
        usage = try Self.optional(json["usage"]) { v throws(Mismatch) in
            guard v.fields != nil else { throw Mismatch() }
            return Usage(promptTokens: try Self.optional(v["prompt_tokens"]) { $0.int },
                         completionTokens: try Self.optional(v["completion_tokens"]) { $0.int })
        }
    }

    static func tokenLogprob(_ v: JSONValue) throws(Mismatch) -> TokenLogprob {
        guard let token = v["token"]?.string, let logprob = v["logprob"]?.double else { throw Mismatch() }
        let top = try optional(v["top_logprobs"]) { list throws(Mismatch) in
            guard let items = list.items else { throw Mismatch() }
            return try items.map { a throws(Mismatch) in
                guard let token = a["token"]?.string, let logprob = a["logprob"]?.double else { throw Mismatch() }
                return Alternative(token: token, logprob: logprob)
            }
        }
        return TokenLogprob(token: token, logprob: logprob, topLogprobs: top)
    }

    /// An optional field: nil when absent or null, its value when `read` takes it, a mismatch otherwise.
    static func optional<T>(_ value: JSONValue?, _ read: (JSONValue) throws(Mismatch) -> T?) throws(Mismatch) -> T? {
        guard let value, !value.isNull else { return nil }
        guard let read = try read(value) else { throw Mismatch() }
        return read
    }
}
