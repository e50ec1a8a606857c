import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One message of a chat request or reply.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

public enum BackendError: Error, Sendable, CustomStringConvertible {
    case badURL(String)
    case transport(String)
    case status(Int, String)
    case malformed(String)

    public var description: String {
        switch self {
        case .badURL(let url): "backend URL '\(url)' is not an http(s) URL; hint: e.g. http://localhost:8000/v1"
        case .transport(let why): "backend unreachable: \(why)"
        case .status(let code, let body): "backend answered HTTP \(code): \(body.prefix(300))"
        case .malformed(let why): "backend answer is not a chat completion: \(why)"
        }
    }
}

/// A blocking client for one model on an OpenAI-compatible server. The API key comes from the
/// environment (never from a workflow, so it never enters a node's key or a run record).
public struct ChatClient: Sendable {
    public var baseURL: URL
    public var model: String
    public var apiKey: String?
    public var timeout: TimeInterval = 120

    public init(baseURL: String, model: String, apiKey: String? = ProcessInfo.processInfo.environment["OPENAI_API_KEY"]) throws(BackendError) {
        guard let url = URL(string: baseURL), let scheme = url.scheme, scheme == "http" || scheme == "https" else { throw .badURL(baseURL) }
        self.baseURL = url
        self.model = model
        self.apiKey = apiKey
    }

    struct Request: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var max_tokens: Int
    }

    struct Response: Decodable {
        struct Choice: Decodable { var message: ChatMessage }
        var choices: [Choice]
    }

    /// The first choice's message content.
    public func complete(_ messages: [ChatMessage], temperature: Double = 0, maxTokens: Int = 256) throws(BackendError) -> String {
        var request = URLRequest(url: baseURL.appendingPathComponent("chat/completions"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey, !apiKey.isEmpty { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try? JSONEncoder().encode(Request(model: model, messages: messages, temperature: temperature, max_tokens: maxTokens))
        let (data, status) = try Self.send(request)
        guard (200..<300).contains(status) else { throw .status(status, String(decoding: data, as: UTF8.self)) }
        guard let response = try? JSONDecoder().decode(Response.self, from: data), let first = response.choices.first else {
            throw .malformed(String(decoding: data.prefix(300), as: UTF8.self))
        }
        return first.message.content
    }

    /// One request, waited for (node types run on their own threads, so blocking is what they want).
    static func send(_ request: URLRequest) throws(BackendError) -> (Data, Int) {
        final class Box: @unchecked Sendable { var result: Result<(Data, Int), BackendError> = .failure(.transport("no answer")) }
        let box = Box(), done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(.transport(error.localizedDescription))
            } else {
                box.result = .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.result.get()
    }
}
