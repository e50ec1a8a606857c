/// Why a request to a model server failed for good. Every case names the endpoint, and a server's answer
/// is quoted (an excerpt) so the cause is readable without a packet capture.
public enum BackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One attempt's failure, as the retry loop sees it.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case status(Int, excerpt: String)
        case timedOut(seconds: Double)
        case connection(String)
        case malformed(excerpt: String)

        public var description: String {
            switch self {
            case .status(let code, let excerpt): "HTTP \(code): \(excerpt)"
            case .timedOut(let seconds): "no answer within \(Self.seconds(seconds)) s"
            case .connection(let why): "connection failed: \(why)"
            case .malformed(let excerpt): "the answer is not a chat completion: \(excerpt)"
            }
        }

        static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
    }

    case badEndpoint(String)
    /// A failure that retrying cannot fix (a 4xx other than 408/409/425/429): the request is wrong.
    case rejected(url: String, Failure)
    /// Retryable failures until the retries ran out.
    case gaveUp(url: String, attempts: Int, last: Failure)
    case cache(path: String, why: String)

    public var description: String {
        switch self {
        case .badEndpoint(let url):
            "endpoint '\(url)' is not an http(s) URL; hint: give the server's OpenAI base URL, e.g. http://127.0.0.1:8000/v1"
        case .rejected(let url, let failure):
            "\(url) rejected the request: \(failure); hint: check the model name and the params the server accepts (e.g. `n` above its limit)"
        case .gaveUp(let url, let attempts, let last):
            "\(url) failed \(attempts) time\(attempts == 1 ? "" : "s"), last: \(last); hint: is the server up and "
                + "answering? raise `retries` or `timeout` for a slow or busy server"
        case .cache(let path, let why): "cannot keep a response in \(path): \(why)"
        }
    }

    /// At most 300 bytes of a body, as text (invalid UTF-8 repaired), for messages.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }
}
