import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-thread HTTP server on loopback that answers every `POST …/chat/completions` with a chat
/// completion made by `reply` from the request's JSON, and records the requests. Enough of an
/// OpenAI-compatible backend to test the client and the model injector without a network.
final class FakeChatServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let lock = NSLock()
    private var received: [[String: Any]] = []
    private let reply: @Sendable ([String: Any]) -> String

    var requests: [[String: Any]] { lock.withLock { received } }

    init(reply: @escaping @Sendable ([String: Any]) -> String) {
        self.reply = reply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 16)
        var bound = sockaddr_in(), length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socketFD = fd
        port = UInt16(bigEndian: bound.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { close(socketFD) }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    /// Reads one request (headers, then Content-Length bytes of body) and answers it; closes after.
    private func handle(_ client: Int32) {
        var data = Data(), buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            data.append(contentsOf: buffer[0..<n])
            guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if data.count - end.upperBound < length { continue }
            let body = data[end.upperBound..<end.upperBound + length]
            let json = (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
            lock.withLock { received.append(json) }
            let answer: [String: Any] = ["id": "x", "object": "chat.completion",
                                         "choices": [["index": 0, "message": ["role": "assistant", "content": reply(json)], "finish_reason": "stop"]]]
            let payload = try! JSONSerialization.data(withJSONObject: answer)
            let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array(response.utf8) + Array(payload)
            _ = bytes.withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
            return
        }
    }
}
