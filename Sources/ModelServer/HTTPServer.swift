import Foundation
import ModelBackend
#if canImport(Glibc)
import Glibc
#endif

/// A request as the server read it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]
}

/// An answer: a whole body, or a stream of chunks written as they are produced (`Transfer-Encoding: chunked`).
public enum HTTPResponse: Sendable {
    case full(status: Int, contentType: String, body: [UInt8])
    case stream(contentType: String, chunks: @Sendable (_ write: ([UInt8]) -> Bool) -> Void)

    public static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse { .full(status: status, contentType: "application/json", body: body) }
}

/// A small HTTP/1.1 server on one address: a thread per connection, keep-alive, requests bounded
/// (headers `maxHeader` bytes → 431, bodies `maxBody` bytes → 413, a client silent for `idle` seconds is
/// dropped), anything unparsable answered 400 and closed. `handler` runs on the connection's thread.
public final class HTTPServer: @unchecked Sendable {
    public let port: Int
    public let host: String
    private let listener: Int32
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let maxHeader = 64 * 1024
    private let maxBody: Int
    private let idle: Int32 = 300_000

    public struct BindFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(host: String, port: Int, maxBody: Int, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws(BindFailure) {
        self.handler = handler
        self.maxBody = maxBody
        self.host = host
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else { throw BindFailure(description: "cannot resolve '\(host)'") }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BindFailure(description: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, 256) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw BindFailure(description: "cannot listen on \(host):\(port): \(why)")
        }
        var bound = sockaddr_storage(), length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let portBytes = withUnsafeBytes(of: bound) { raw in (raw[2], raw[3]) }
        self.port = Int(portBytes.0) << 8 | Int(portBytes.1)
        listener = fd
    }

    /// Accepts connections until the process ends.
    public func serve() -> Never {
        while true {
            let client = accept(listener, nil, nil)
            if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
            if client < 0 { if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { usleep(1000) }; continue }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in
                connection(client)
                close(client)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func connection(_ fd: Int32) {
        var buffer = [UInt8]()
        while true {
            switch read(fd, into: &buffer) {
            case .closed: return
            case .failed(let status, let message):
                _ = write(fd, .json(status, OpenAIError(status: status, message: message).body), keepAlive: false)
                return
            case .request(let request, let keepAlive):
                let response = handler(request)
                guard write(fd, response, keepAlive: keepAlive), keepAlive else { return }
            }
        }
    }

    private enum ReadResult {
        case request(HTTPRequest, keepAlive: Bool)
        case failed(Int, String)
        case closed
    }

    private func read(_ fd: Int32, into data: inout [UInt8]) -> ReadResult {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: Head?
        var headerEnd = 0
        while true {
            if head == nil, let end = HTTPHead.end(in: data) {
                guard let parsed = Head(data[..<end]) else { return .failed(400, "malformed request line") }
                guard let length = parsed.contentLength else { return .failed(400, "Content-Length is missing or not a number") }
                guard length <= maxBody else { return .failed(413, "the request body is \(length) bytes; this server takes at most \(maxBody)") }
                head = parsed
                headerEnd = end
            }
            if let head, let length = head.contentLength, data.count >= headerEnd + 4 + length {
                let body = Array(data[(headerEnd + 4)..<(headerEnd + 4 + length)])
                data.removeFirst(headerEnd + 4 + length)
                let keepAlive = head.version == "HTTP/1.1" && head.headers["connection"]?.lowercased() != "close"
                return .request(HTTPRequest(method: head.method, path: head.path, headers: head.headers, body: body), keepAlive: keepAlive)
            }
            if head == nil && data.count > maxHeader { return .failed(431, "request headers larger than \(maxHeader) bytes") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, idle) > 0 else { return .closed }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return .closed }
            data += chunk[0..<n]
        }
    }

    /// A request's head: its request line and fields (`HTTPHead`). Nil when the request line is not
    /// `METHOD PATH HTTP/1.x`.
    struct Head {
        var method: String
        var path: String
        var version: String
        var headers: [String: String]
        /// The body's length: 0 without `Content-Length`; nil when it is not a number or the body is chunked
        /// (which this server does not take).
        var contentLength: Int?

        init?(_ bytes: ArraySlice<UInt8>) {
            let head = HTTPHead(bytes)
            guard head.start.count == 3, head.start[2].hasPrefix("HTTP/1."), !head.start[2].contains(" ") else { return nil }
            (method, path, version, headers) = (head.start[0], head.start[1], head.start[2], head.fields)
            if headers["transfer-encoding"] != nil {
                contentLength = nil
            } else if let value = headers["content-length"] {
                contentLength = Int(value).flatMap { $0 >= 0 ? $0 : nil }
            } else {
                contentLength = 0
            }
        }
    }

    private func write(_ fd: Int32, _ response: HTTPResponse, keepAlive: Bool) -> Bool {
        let connection = keepAlive ? "keep-alive" : "close"
        switch response {
        case .full(let status, let type, let body):
            let head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: \(connection)\r\n\r\n"
            return send(fd, Array(head.utf8) + body)
        case .stream(let type, let chunks):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: \(type)\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: \(connection)\r\n\r\n"
            guard send(fd, Array(head.utf8)) else { return false }
            var ok = true
            chunks { bytes in
                guard ok, !bytes.isEmpty else { return ok }
                ok = self.send(fd, Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10])
                return ok
            }
            return ok && send(fd, Array("0\r\n\r\n".utf8))
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    static func reason(_ status: Int) -> String {
        [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large",
         422: "Unprocessable Entity", 431: "Request Header Fields Too Large", 500: "Internal Server Error"][status] ?? "Status"
    }
}
