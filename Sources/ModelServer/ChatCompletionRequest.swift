import Foundation
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
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)), let json = object as? [String: Any] else {
            throw OpenAIError(status: 400, message: "the body is not a JSON object")
        }
        guard let model = json["model"] as? String else { throw OpenAIError(status: 400, message: "`model` is required (a string)", param: "model") }
        guard let messages = json["messages"] as? [Any], !messages.isEmpty else {
            throw OpenAIError(status: 400, message: "`messages` must be a non-empty list", param: "messages")
        }
        var question: String?
        var imageURL: String?
        for (i, item) in messages.enumerated() {
            guard let message = item as? [String: Any], let role = message["role"] as? String else {
                throw OpenAIError(status: 400, message: "messages[\(i)] needs a `role`", param: "messages")
            }
            guard ["system", "user", "assistant", "developer", "tool"].contains(role) else {
                throw OpenAIError(status: 400, message: "messages[\(i)].role '\(role)' is not a chat role", param: "messages")
            }
            var text = ""
            if let content = message["content"] as? String {
                text = content
            } else if let parts = message["content"] as? [Any] {
                for (j, p) in parts.enumerated() {
                    guard let part = p as? [String: Any], let type = part["type"] as? String else {
                        throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)] needs a `type`", param: "messages")
                    }
                    switch type {
                    case "text":
                        guard let t = part["text"] as? String else {
                            throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)].text must be a string", param: "messages")
                        }
                        text += t
                    case "image_url":
                        let url = (part["image_url"] as? [String: Any])?["url"] as? String ?? part["image_url"] as? String
                        guard let url else {
                            throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)].image_url.url must be a string", param: "messages")
                        }
                        if role == "user" { imageURL = url }
                    default:
                        throw OpenAIError(status: 400, message: "messages[\(i)].content[\(j)]: content type '\(type)' is not supported (text, image_url)",
                                          param: "messages")
                    }
                }
            } else if !(message["content"] is NSNull) && message["content"] != nil {
                throw OpenAIError(status: 400, message: "messages[\(i)].content must be a string or a list of parts", param: "messages")
            }
            if role == "user" { question = text }
        }
        guard let question else { throw OpenAIError(status: 400, message: "no user message", param: "messages") }
        var request = ChatCompletionRequest(model: model, question: question, image: nil, n: 1, temperature: 1, topP: 1, topK: 0,
                                            maxTokens: nil, seed: nil, stop: [], logprobs: false, topLogprobs: 0, stream: false,
                                            includeUsage: false)
        if let url = imageURL { request.image = try image(url) }
        let scalars: Scalars
        do { scalars = try JSONDecoder().decode(Scalars.self, from: Data(body)) } catch {
            // The first field that does not decode on its own names the problem.
            let param = json.keys.sorted().first { key in
                guard let field = try? JSONSerialization.data(withJSONObject: [key: json[key]!]) else { return false }
                return (try? JSONDecoder().decode(Scalars.self, from: field)) == nil
            } ?? ((error as? DecodingError).flatMap(Self.param) ?? "")
            throw OpenAIError(status: 400, message: "`\(param)` has the wrong type (\(Self.expected[param] ?? "see the API reference"))", param: param)
        }
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

    /// The scalar fields, typed by JSONDecoder (so `n: 1.5` or `stream: 1` is a type error, not a guess).
    struct Scalars: Decodable {
        struct StreamOptions: Decodable { var include_usage: Bool? }
        struct Seed: Decodable {
            var value: UInt64
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let u = try? c.decode(UInt64.self) { value = u } else { value = UInt64(bitPattern: try c.decode(Int64.self)) }
            }
        }
        struct Stop: Decodable {
            var values: [String]
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let one = try? c.decode(String.self) { values = [one] } else { values = try c.decode([String].self) }
            }
        }
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
    }

    static func param(_ error: DecodingError) -> String? {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): c.codingPath.first?.stringValue
        case .keyNotFound(let key, let c): (c.codingPath.first ?? key).stringValue
        @unknown default: nil
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
