import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `HTTPTransport` for `http://` over plain sockets: HTTP/1.1 with keep-alive connections reused across
/// requests, `Content-Length` and chunked bodies, and a timeout that holds — no byte for `timeout`
/// seconds (connecting, sending or waiting for the answer) fails the attempt. A kept connection the
/// server closed meanwhile is replaced once without counting as an attempt. Model servers on a machine
/// or a cluster speak plain HTTP; `https://` goes through `URLSessionTransport`.
public final class SocketTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [String: [Int32]] = [:]

    public init() {}

    deinit { for fds in idle.values { for fd in fds { close(fd) } } }

    public func send(_ url: URL, body: [UInt8]?, headers: [String: String], timeout: Double) -> Result<HTTPReply, BackendError.Failure> {
        guard let host = url.host else { return .failure(.connection("no host in \(url)")) }
        let port = url.port ?? 80
        let place = "\(host):\(port)"
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var head = "\(body == nil ? "GET" : "POST") \(path) HTTP/1.1\r\nHost: \(place)\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        let message = Array((head + "\r\n").utf8) + (body ?? [])
        // A kept connection the server closed meanwhile (stale) is replaced once, on a new connection.
        if let fd = takeIdle(place), let result = finish(fd, place, exchange(fd, message, timeout: timeout), timeout: timeout, staleIsFinal: false) {
            return result
        }
        switch connect(host: host, port: port, timeout: timeout) {
        case .failure(let failure): return .failure(failure)
        case .success(let fd):
            return finish(fd, place, exchange(fd, message, timeout: timeout), timeout: timeout, staleIsFinal: true)
                ?? .failure(ExchangeFailure.stale.asBackend(timeout))
        }
    }

    /// Keeps or closes the connection after an exchange; nil for a stale kept connection worth one more try.
    private func finish(_ fd: Int32, _ place: String, _ outcome: Result<(HTTPReply, keep: Bool), ExchangeFailure>, timeout: Double,
                        staleIsFinal: Bool) -> Result<HTTPReply, BackendError.Failure>? {
        switch outcome {
        case .success(let (reply, keep)):
            if keep { putIdle(place, fd) } else { close(fd) }
            return .success(reply)
        case .failure(let failure):
            close(fd)
            if case .stale = failure, !staleIsFinal { return nil }
            return .failure(failure.asBackend(timeout))
        }
    }

    private func takeIdle(_ place: String) -> Int32? { lock.withLock { idle[place]?.popLast() } }
    private func putIdle(_ place: String, _ fd: Int32) { lock.withLock { idle[place, default: []].append(fd) } }

    private enum ExchangeFailure: Error {
        case stale, timedOut, broken(String)
        func asBackend(_ timeout: Double) -> BackendError.Failure {
            switch self {
            case .stale: .connection("the server closed the connection without answering")
            case .timedOut: .timedOut(seconds: timeout)
            case .broken(let why): .connection(why)
            }
        }
    }

    private func connect(host: String, port: Int, timeout: Double) -> Result<Int32, BackendError.Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failure(.connection("cannot resolve host '\(host)'"))
        }
        defer { freeaddrinfo(list) }
        var why = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                            info.pointee.ai_protocol)
            if fd < 0 { why = String(cString: strerror(errno)); continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard errno == EINPROGRESS else { why = String(cString: strerror(errno)); close(fd); continue }
            guard wait(fd, for: Int16(POLLOUT), timeout: timeout) else { why = "no connection within \(timeout) s"; close(fd); continue }
            var error: Int32 = 0, length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .success(fd) }
            why = String(cString: strerror(error))
            close(fd)
        }
        return .failure(.connection("cannot connect to \(host):\(port): \(why)"))
    }

    private func wait(_ fd: Int32, for events: Int16, timeout: Double) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        var left = Int32(min(max(timeout * 1000, 1), Double(Int32.max)))
        while true {
            let started = DispatchTime.now().uptimeNanoseconds
            let ready = poll(&entry, 1, left)
            if ready > 0 { return true }
            if ready == 0 { return false }
            guard errno == EINTR else { return false }
            left -= Int32((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            if left <= 0 { return false }
        }
    }

    /// Writes the request and reads one whole answer; `keep` says whether the connection may be reused.
    private func exchange(_ fd: Int32, _ message: [UInt8], timeout: Double) -> Result<(HTTPReply, keep: Bool), ExchangeFailure> {
        var sent = 0
        while sent < message.count {
            let n = message[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard wait(fd, for: Int16(POLLOUT), timeout: timeout) else { return .failure(.timedOut) }
                continue
            }
            return .failure(.stale)
        }
        var reader = ResponseReader()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                reader.append(buffer[0..<n])
                switch reader.parse() {
                case .needMore: continue
                case .bad(let why): return .failure(.broken("malformed HTTP answer: \(why)"))
                case .done(let reply, let keep): return .success((reply, keep))
                }
            }
            if n == 0 {
                if case .done(let reply, _) = reader.parse(atEnd: true) { return .success((reply, false)) }
                return .failure(reader.isEmpty ? .stale : .broken("the connection closed in the middle of the answer"))
            }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(fd, for: Int16(POLLIN), timeout: timeout) else { return .failure(.timedOut) }
                continue
            }
            return .failure(reader.isEmpty ? .stale : .broken(String(cString: strerror(errno))))
        }
    }
}

/// Incremental parsing of one HTTP/1.1 response.
struct ResponseReader {
    enum State: Equatable {
        case needMore
        case bad(String)
        case done(HTTPReply, keep: Bool)
    }

    private var data: [UInt8] = []
    var isEmpty: Bool { data.isEmpty }

    mutating func append(_ bytes: ArraySlice<UInt8>) { data += bytes }

    func parse(atEnd: Bool = false) -> State {
        guard let end = HTTPHead.end(in: data) else { return data.count > 1 << 20 ? .bad("headers too long") : .needMore }
        let head = HTTPHead(data[..<end])
        let status = head.start, headers = head.fields
        guard status.count >= 2, status[0].hasPrefix("HTTP/1."), let code = Int(status[1]) else {
            return .bad("status line '\(status.joined(separator: " ").prefix(80))'")
        }
        var keep = !(headers["connection"]?.lowercased().contains("close") ?? false) && status[0] != "HTTP/1.0"
        let start = end + 4
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var body: [UInt8] = [], at = start
            while true {
                guard let lineEnd = HTTPHead.find([13, 10], in: data, from: at) else { return .needMore }
                let sizeText = String(decoding: data[at..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return .bad("chunk size") }
                if size == 0 {
                    guard HTTPHead.end(in: data, from: lineEnd) != nil || data.count >= lineEnd + 4 else { return .needMore }
                    return .done(HTTPReply(status: code, headers: headers, body: body), keep: keep)
                }
                guard data.count >= lineEnd + 2 + size + 2 else { return .needMore }
                body += data[(lineEnd + 2)..<(lineEnd + 2 + size)]
                at = lineEnd + 2 + size + 2
            }
        }
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { return .bad("content-length '\(lengthText)'") }
            guard data.count >= start + length else { return .needMore }
            return .done(HTTPReply(status: code, headers: headers, body: Array(data[start..<(start + length)])), keep: keep)
        }
        // No length: the body runs to the end of the connection.
        keep = false
        return atEnd ? .done(HTTPReply(status: code, headers: headers, body: Array(data[start...])), keep: keep) : .needMore
    }
}
