import Foundation

/// A chat completion as OpenAI-compatible servers return it: only the fields JudgeFlow reads, each
/// optional where servers differ (content may be null; logprobs and usage may be absent).
public struct ChatResponse: Sendable, Equatable, Decodable {
    public struct Choice: Sendable, Equatable, Decodable {
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

        enum CodingKeys: String, CodingKey { case index, message, logprobs, finishReason = "finish_reason" }
    }

    public struct Message: Sendable, Equatable, Decodable {
        public var content: String?
        public init(content: String?) { self.content = content }
    }

    public struct Logprobs: Sendable, Equatable, Decodable {
        public var content: [TokenLogprob]?
        public init(content: [TokenLogprob]?) { self.content = content }
    }

    /// One generated token with its log-probability and the most likely alternatives at its position.
    public struct TokenLogprob: Sendable, Equatable, Decodable {
        public var token: String
        public var logprob: Double
        public var topLogprobs: [Alternative]?

        public init(token: String, logprob: Double, topLogprobs: [Alternative]? = nil) {
            self.token = token
            self.logprob = logprob
            self.topLogprobs = topLogprobs
        }

        enum CodingKeys: String, CodingKey { case token, logprob, topLogprobs = "top_logprobs" }
    }

    public struct Alternative: Sendable, Equatable, Decodable {
        public var token: String
        public var logprob: Double
        public init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    public struct Usage: Sendable, Equatable, Decodable {
        public var promptTokens: Int?
        public var completionTokens: Int?

        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
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

    /// Parses a response body; a body that is not a chat completion with at least one choice is nil.
    public static func parse(_ body: [UInt8]) -> ChatResponse? {
        guard let response = try? JSONDecoder().decode(ChatResponse.self, from: Data(body)), !response.choices.isEmpty else { return nil }
        return response
    }
}
