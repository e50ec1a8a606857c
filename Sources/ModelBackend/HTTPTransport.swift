import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A server's answer: status, headers (names lowercased) and body.
public struct HTTPReply: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The network edge: one blocking HTTP exchange. The request layer calls it from its own worker threads;
/// tests put a loopback server that misbehaves on purpose behind the real implementation.
public protocol HTTPTransport: Sendable {
    /// `body` nil is a GET. A failure to get any answer (refused, dropped, timed out) is a `Failure`;
    /// an answer with any status is a reply.
    func send(_ url: URL, body: [UInt8]?, headers: [String: String], timeout: Double) -> Result<HTTPReply, BackendError.Failure>
}

/// `HTTPTransport` over URLSession (libcurl on Linux): keep-alive connections, up to `connections` to
/// one host at once.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    public init(connections: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, connections)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ url: URL, body: [UInt8]?, headers: [String: String], timeout: Double) -> Result<HTTPReply, BackendError.Failure> {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = body == nil ? "GET" : "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        final class Box: @unchecked Sendable { var result: Result<HTTPReply, BackendError.Failure> = .failure(.connection("no answer")) }
        let box = Box(), done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            if let error {
                let code = (error as? URLError)?.code
                box.result = .failure(code == .timedOut ? .timedOut(seconds: timeout) : .connection(error.localizedDescription))
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
                }
                box.result = .success(HTTPReply(status: http.statusCode, headers: fields, body: Array(data ?? Data())))
            } else {
                box.result = .failure(.connection("not an HTTP answer"))
            }
            done.signal()
        }.resume()
        done.wait()
        return box.result
    }
}
