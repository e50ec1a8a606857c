import Foundation
import JSONText

/// One part of a message's content: text, or an image given as a URL (JudgeFlow sends `data:` URLs only,
/// so a server never fetches anything).
public enum ContentPart: Sendable, Equatable {
    case text(String)
    case imageURL(String)

    /// An image file's bytes as a `data:` URL part; the media type follows the file's magic bytes.
    public static func image(_ bytes: [UInt8]) -> ContentPart {
        let type: String
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { type = "image/png" }
        else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { type = "image/jpeg" }
        else if bytes.starts(with: Array("GIF8".utf8)) { type = "image/gif" }
        else if bytes.starts(with: Array("RIFF".utf8)) { type = "image/webp" }
        else { type = "application/octet-stream" }
        return .imageURL("data:\(type);base64," + Data(bytes).base64EncodedString())
    }
}

/// One message of a chat. Content that is a single text part is sent as a plain string (what every
/// server accepts); anything else as the list of parts.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var parts: [ContentPart]

    public init(role: String, parts: [ContentPart]) {
        self.role = role
        self.parts = parts
    }

    public init(role: String, content: String) { self.init(role: role, parts: [.text(content)]) }

    /// The text parts joined (what a test or a prompt check reads).
    public var text: String {
        parts.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
    }

    /// The message as the API writes it.
    var json: JSONValue {
        if parts.count == 1, case .text(let t) = parts[0] { return .object([("role", .string(role)), ("content", .string(t))]) }
        return .object([("role", .string(role)), ("content", .array(parts.map { part in
            switch part {
            case .text(let t): .object([("type", .string("text")), ("text", .string(t))])
            case .imageURL(let url): .object([("type", .string("image_url")), ("image_url", .object([("url", .string(url))]))])
            }
        }))])
    }
}

/// A `POST /chat/completions` body. Optional fields are left out when nil, so a server sees only what
/// was asked for. `topK` is an extension vLLM and llama.cpp accept; `grammar` is llama.cpp's GBNF
/// constraint and `guidedChoice` vLLM's (send the one your server has).
public struct ChatRequest: Sendable, Equatable {
    public var model: String
    public var messages: [ChatMessage]
    public var n: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var maxTokens: Int?
    public var seed: UInt64?
    public var stop: [String]?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var grammar: String?
    public var guidedChoice: [String]?

    public init(model: String, messages: [ChatMessage], n: Int? = nil, temperature: Double? = nil, topP: Double? = nil,
                topK: Int? = nil, maxTokens: Int? = nil, seed: UInt64? = nil, stop: [String]? = nil, logprobs: Bool? = nil,
                topLogprobs: Int? = nil, grammar: String? = nil, guidedChoice: [String]? = nil) {
        self.model = model
        self.messages = messages
        self.n = n
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxTokens = maxTokens
        self.seed = seed
        self.stop = stop
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.grammar = grammar
        self.guidedChoice = guidedChoice
    }

    /// The body as sent: compact JSON with sorted keys, so one request always has the same bytes (its
    /// digest names its stored response); the bytes are those Foundation's `JSONEncoder` gives with
    /// `.sortedKeys` and `.withoutEscapingSlashes`, written without its `Encodable` machinery.
    public func body() -> [UInt8] {
        var fields: [(String, JSONValue)] = [("model", .string(model)), ("messages", .array(messages.map(\.json)))]
        func add(_ key: String, _ value: JSONValue?) { if let value { fields.append((key, value)) } }
        add("n", n.map(JSONValue.int))
        add("temperature", temperature.map(JSONValue.double))
        add("top_p", topP.map(JSONValue.double))
        add("top_k", topK.map(JSONValue.int))
        add("max_tokens", maxTokens.map(JSONValue.int))
        add("seed", seed.map(JSONValue.int))
        add("stop", stop.map { .array($0.map(JSONValue.string)) })
        add("logprobs", logprobs.map(JSONValue.bool))
        add("top_logprobs", topLogprobs.map(JSONValue.int))
        add("grammar", grammar.map(JSONValue.string))
        add("guided_choice", guidedChoice.map { .array($0.map(JSONValue.string)) })
        return JSONValue.object(fields).bytes(sortedKeys: true)
    }
}
