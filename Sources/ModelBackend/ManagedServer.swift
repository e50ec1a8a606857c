import CGlibc
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A model server JudgeFlow starts for a node and stops after it: the workflow's `servers:` command
/// template with `{model}` (the node's model input, shell-quoted) and `{port}` (a free loopback port)
/// filled in, run by bash. It is ready when `GET {base}/models` answers 200; its output goes to a log
/// file whose tail explains a failure to start. It never outlives JudgeFlow: it leads its own process
/// group (stopped with SIGTERM, then SIGKILL) and gets SIGKILL if the thread that started it ends,
/// SIGKILL of JudgeFlow included (bash runs a single command in place, so the signal reaches the server).
public final class ManagedServer: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case start(command: String, why: String)
        case exited(command: String, status: Int32, log: String)
        case notReady(command: String, seconds: Double, log: String)

        public var description: String {
            switch self {
            case .start(let command, let why): "cannot start the server `\(command)`: \(why)"
            case .exited(let command, let status, let log):
                "the server `\(command)` exited with status \(status) before it was ready; its log ends:\n\(log)"
            case .notReady(let command, let seconds, let log):
                "the server `\(command)` did not answer GET /v1/models within \(Int(seconds)) s (raise server_timeout for a large model); its log ends:\n\(log)"
            }
        }
    }

    public let command: String
    public let port: Int
    public let logPath: String
    private let pid: pid_t
    private var stopped = false

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Fills the template: `{model}` → the quoted model path, `{port}` → the port.
    public static func command(_ template: String, model: String, port: Int) -> String {
        template.replacingOccurrences(of: "{model}", with: "'" + model.split(separator: "'", omittingEmptySubsequences: false)
            .joined(separator: "'\\''") + "'").replacingOccurrences(of: "{port}", with: String(port))
    }

    /// Starts the server and waits until it is ready (or fails, with its log's tail).
    public init(template: String, model: String, logPath: String, directory: String, readyTimeout: Double) throws(Failure) {
        port = Self.freePort()
        command = Self.command(template, model: model, port: port)
        self.logPath = logPath
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw .start(command: command, why: "cannot create \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        let arguments: [String] = ["/bin/bash", "-c", command]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let error = jf_spawn_tethered("/bin/bash", argv, envp, directory, log, log, &child)
        guard error == 0 else { throw .start(command: command, why: String(cString: strerror(error))) }
        pid = child
        let probe = RequestRunner(endpoint: (try? Endpoint(baseURL, timeout: 2, inFlight: 1, retry: RetryPolicy(retries: 0)))!, cache: nil)
        let deadline = Date().addingTimeInterval(readyTimeout)
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                throw .exited(command: command, status: (status >> 8) & 0xFF, log: tail())
            }
            if (try? probe.models()) != nil { return }
            if Date() > deadline {
                stop()
                throw .notReady(command: command, seconds: readyTimeout, log: tail())
            }
            usleep(100_000)
        }
    }

    /// The models the server lists.
    public func models() -> [String] {
        (try? RequestRunner(endpoint: try Endpoint(baseURL, timeout: 10, inFlight: 1), cache: nil).models()) ?? []
    }

    /// SIGTERM to the server's process group, SIGKILL after `grace` seconds; waits for it.
    public func stop(grace: Double = 10) {
        guard !stopped else { return }
        stopped = true
        kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)  // anything left in the group
    }

    deinit { stop() }

    /// The last lines of the server's log.
    public func tail(_ bytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "(no log)" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }

    /// A port the kernel has just handed out on 127.0.0.1 (free unless someone takes it in between).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var bound = sockaddr_in(), length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: bound.sin_port))
    }
}
