import Foundation
import JSONText
import SyntheticWorld

/// A `POST /v1/chat/completions` body, read and checked. The question is the text of the last user
/// message; the image is the last `image_url` part of any user message, a `data:` URL of a PNG. Every
/// field is checked with the API's limits; a problem is an `OpenAIError` naming the param.
public struct ChatCompletionRequest: Sendable, Equatable {
    public var model: String
    public var question: String
    public var image: RGBImage?
    public var n: Int
    public var temperature: Double
    public var topP: Double
    public var topK: Int
    public var maxTokens: Int?
    public var seed: UInt64?
    public var stop: [String]
    public var logprobs: Bool
    public var topLogprobs: Int
    public var stream: Bool
    public var includeUsage: Bool

    public static func parse(_ body: [UInt8]) throws(OpenAIError) -> ChatCompletionRequest {
        guard let json = JSONValue.parse(body), json.fields != nil else {
            throw OpenAIError(status: 400, message: "the body is not a JSON object")
        }
        guard let model = json["model"]?.string else { throw OpenAIError(status: 400, message: "`model` is required (a string)", param: "model") }
        guard let messages = json["messages"]?.items, !messages.isEmpty else {
            throw OpenAIError(status: 400, message: "`messages` must be a non-empty list", param: "messages")
        }
        var question: String?
        var imageURL: String?
        for (i, item) in messages.enumerated() {
            guard let role = item["role"]?.string else {
                throw OpenAIError(status: 400, message: "messages[\(i)] needs a `role`", param: "messages")
            }
            guard ["system", "user", "assistant", "developer", "tool"].contains(role) else {
                throw OpenAIError(status: 400, message: "messages[\(i)].role '\(role)' is not a chat role", param: "messages")
            }
            var text = ""
            if let content = item["content"]?.string {
                text = content
            } else if let parts = item["content"]?.items {
                for (j, part) in parts.enumerated() {
                    guard let type = part["type"]?.string else {
                        throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)] needs a `type`", param: "messages")
                    }
                    switch type {
                    case "text":
                        guard let t = part["text"]?.string else {
                            throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)].text must be a string", param: "messages")
                        }
                        text += t
                    case "image_url":
                        let url = part["image_url"]?["url"]?.string ?? part["image_url"]?.string
                        guard let url else {
                            throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)].image_url.url must be a string", param: "messages")
                        }
                        if role == "user" { imageURL = url }
                    default:
                        throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)]: content type '\(type)' is not supported (text, image_url)",
                                          param: "messages")
                    }
                }
            } else if let content = item["content"], !content.isNull {
                throw OpenAIError(status: 400, message: "messages[\(i)].content must be a string or a list of parts", param: "messages")
            }
            if role == "user" { question = text }
        }
        guard let question else { throw OpenAIError(status: 400, message: "no user message", param: "messages") }
        var request = ChatCompletionRequest(model: model, question: question, image: nil, n: 1, temperature: 1, topP: 1, topK: 0,
                                            maxTokens: nil, seed: nil, stop: [], logprobs: false, topLogprobs: 0, stream: false,
                                            includeUsage: false)
        if let url = imageURL { request.image = try image(url) }
        let scalars = try Scalars(json)
        request.n = try check(scalars.n, "n", 1...64) ?? 1
        request.temperature = try check(scalars.temperature, "temperature", 0...2) ?? 1
        request.topP = try check(scalars.top_p, "top_p", 0...1) ?? 1
        request.topK = try check(scalars.top_k, "top_k", -1...1_000_000).map { max(0, $0) } ?? 0
        let maxCompletion = try check(scalars.max_completion_tokens, "max_completion_tokens", 1...1_000_000)
        let maxTokens = try check(scalars.max_tokens, "max_tokens", 1...1_000_000)
        request.maxTokens = maxCompletion ?? maxTokens
        request.seed = scalars.seed?.value
        request.stop = scalars.stop?.values ?? []
        if request.stop.count > 4 { throw OpenAIError(status: 400, message: "`stop` takes at most 4 strings", param: "stop") }
        request.logprobs = scalars.logprobs ?? false
        request.topLogprobs = try check(scalars.top_logprobs, "top_logprobs", 0...20) ?? 0
        if request.topLogprobs > 0 && !request.logprobs {
            throw OpenAIError(status: 400, message: "`top_logprobs` needs `logprobs: true`", param: "top_logprobs")
        }
        request.stream = scalars.stream ?? false
        request.includeUsage = scalars.stream_options?.include_usage ?? false
        return request
    }

    static let expected = ["n": "an integer", "temperature": "a number", "top_p": "a number", "top_k": "an integer",
                           "max_tokens": "an integer", "max_completion_tokens": "an integer", "seed": "an integer",
                           "stop": "a string or a list of strings", "logprobs": "true or false", "top_logprobs": "an integer",
                           "stream": "true or false", "stream_options": "{\"include_usage\": true|false}"]

    /// The scalar fields, each of its API type or absent (null reads as absent): `n: 1.5` or `stream: 1`
    /// is a type error naming the field, never a guess.
    struct Scalars {
        var n: Int?
        var temperature: Double?
        var top_p: Double?
        var top_k: Int?
        var max_tokens: Int?
        var max_completion_tokens: Int?
        var seed: Seed?
        var stop: Stop?
        var logprobs: Bool?
        var top_logprobs: Int?
        var stream: Bool?
        var stream_options: StreamOptions?

        struct StreamOptions { var include_usage: Bool? }
        struct Seed { var value: UInt64 }
        struct Stop { var values: [String] }

        init(_ json: JSONValue) throws(OpenAIError) {
            func field<T>(_ name: String, _ read: (JSONValue) -> T?) throws(OpenAIError) -> T? {
                guard let value = json[name], !value.isNull else { return nil }
                guard let typed = read(value) else {
                    throw OpenAIError(status: 400, message: "`\(name)` has the wrong type (\(ChatCompletionRequest.expected[name] ?? "see the API reference"))",
                                      param: name)
                }
                return typed
            }
            // In the order of the names, so the first field named wrong is the one reported.
            logprobs = try field("logprobs") { $0.bool }
            max_completion_tokens = try field("max_completion_tokens", Self.integer)
            max_tokens = try field("max_tokens", Self.integer)
            n = try field("n", Self.integer)
            seed = try field("seed") { v in
                guard case .number(let text) = v else { return nil }
                if let u = UInt64(text) { return Seed(value: u) }
                return Int64(text).map { Seed(value: UInt64(bitPattern: $0)) }
            }
            stop = try field("stop") { v in
                if let one = v.string { return Stop(values: [one]) }
                guard let list = v.items else { return nil }
                let strings = list.compactMap(\.string)
                return strings.count == list.count ? Stop(values: strings) : nil
            }
            stream = try field("stream") { $0.bool }
            stream_options = try field("stream_options") { v in
                guard v.fields != nil else { return nil }
                guard let flag = v["include_usage"], !flag.isNull else { return StreamOptions(include_usage: nil) }
                return flag.bool.map { StreamOptions(include_usage: $0) }
            }
            temperature = try field("temperature") { $0.double }
            top_k = try field("top_k", Self.integer)
            top_logprobs = try field("top_logprobs", Self.integer)
            top_p = try field("top_p") { $0.double }
        }

        /// A whole number: integer text, or a number whose value is whole and fits (`2.0`).
        static func integer(_ v: JSONValue) -> Int? {
            guard case .number(let text) = v else { return nil }
            if let i = Int(text) { return i }
            guard let d = Double(text), d.rounded() == d, abs(d) < 9e18 else { return nil }
            return Int(d)
        }
    }

    static func check<T: Comparable>(_ value: T?, _ name: String, _ range: ClosedRange<T>) throws(OpenAIError) -> T? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw OpenAIError(status: 400, message: "`\(name)` must lie in \(range.lowerBound)…\(range.upperBound), found \(value)", param: name)
        }
        return value
    }

    static func image(_ url: String) throws(OpenAIError) -> RGBImage {
        guard url.hasPrefix("data:") else {
            throw OpenAIError(status: 400, message: "images must be data: URLs (this server fetches nothing)", param: "messages")
        }
        guard let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64"),
              let bytes = Data(base64Encoded: String(url[url.index(after: comma)...]), options: .ignoreUnknownCharacters) else {
            throw OpenAIError(status: 400, message: "the image's data: URL is not base64", param: "messages")
        }
        do { return try PNG.decode(Array(bytes)) } catch {
            throw OpenAIError(status: 400, message: "the image is not a PNG this server can read: \(error)", param: "messages")
        }
    }
}
