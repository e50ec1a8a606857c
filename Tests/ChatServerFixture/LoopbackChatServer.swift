import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP server for tests: each `POST …/chat/completions` is answered as `behaviour` says —
/// a chat completion, any status with any body, a dropped connection or a stall — and every request is
/// recorded with what was done with it. `GET …/models` lists `tiny-test`. One thread per connection,
/// keep-alive honoured, so a client's concurrency is real. Test-only: faults are its point.
public final class LoopbackChatServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// A chat completion whose choices have these contents (with usage).
        case chat([String])
        /// A full chat-completion JSON object as the body.
        case json([String: any Sendable])
        case status(Int, headers: [String: String], body: String)
        /// Close the connection without answering.
        case drop
        /// Wait, then answer as the inner behaviour (a client may have given up by then).
        indirect case after(seconds: Double, Behaviour)
    }

    public struct Received: @unchecked Sendable {
        public var json: [String: Any]
        public var body: [UInt8]
        /// Whether a 200 chat completion was written back in full.
        public var answered: Bool
    }

    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var log: [Received] = []
    private let behaviour: @Sendable (_ index: Int, _ json: [String: Any]) -> Behaviour

    public var requests: [Received] { lock.withLock { log } }
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private let recording: Bool

    /// Listens on 127.0.0.1:`port` (0: any free port); `recording: false` keeps no log (for benchmarks).
    public init(port wanted: UInt16 = 0, recording: Bool = true,
                behaviour: @escaping @Sendable (_ index: Int, _ json: [String: Any]) -> Behaviour) {
        self.behaviour = behaviour
        self.recording = recording
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = wanted.bigEndian
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 128)
        var bound = sockaddr_in(), length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = UInt16(bigEndian: bound.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Answers every request with the same text.
    public convenience init(reply: @escaping @Sendable ([String: Any]) -> String) {
        self.init { _, json in .chat([reply(json)]) }
    }

    /// Stops accepting (connections already open finish).
    public func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let thread = Thread { [self] in
                while serveOne(client) {}
                close(client)
            }
            thread.start()
        }
    }

    /// Reads one request and answers it; false when the connection is over.
    private func serveOne(_ client: Int32) -> Bool {
        var data = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = Self.headerEnd(data) {
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - (end + 4) >= length {
                    let body = Array(data[(end + 4)..<(end + 4 + length)])
                    return respond(client, head: head, body: body)
                }
            }
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return false }
            data += buffer[0..<n]
        }
    }

    private static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i }
        return nil
    }

    private func respond(_ client: Int32, head: String, body: [UInt8]) -> Bool {
        if head.hasPrefix("get ") {
            return write(client, status: 200, headers: [:], body: Array(#"{"object":"list","data":[{"id":"tiny-test","object":"model"}]}"#.utf8))
        }
        let json = recording ? ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] : [:]
        let index: Int = lock.withLock {
            guard recording else { return -1 }
            log.append(Received(json: json, body: body, answered: false))
            return log.count - 1
        }
        var action = behaviour(index, json)
        while case .after(let seconds, let inner) = action {
            Thread.sleep(forTimeInterval: seconds)
            action = inner
        }
        switch action {
        case .drop, .after:
            return false
        case .status(let code, let headers, let text):
            return write(client, status: code, headers: headers, body: Array(text.utf8))
        case .chat(let contents):
            let choices = contents.enumerated().map { i, text -> [String: Any] in
                ["index": i, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]
            }
            return answer(client, index, ["id": "x", "object": "chat.completion", "choices": choices,
                                          "usage": ["prompt_tokens": 10, "completion_tokens": 3 * contents.count]])
        case .json(let object):
            return answer(client, index, object)
        }
    }

    private func answer(_ client: Int32, _ index: Int, _ object: [String: Any]) -> Bool {
        let payload = Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        let ok = write(client, status: 200, headers: ["Content-Type": "application/json"], body: payload)
        if ok && index >= 0 { lock.withLock { log[index].answered = true } }
        return ok
    }

    private func write(_ client: Int32, status: Int, headers: [String: String], body: [UInt8]) -> Bool {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}
