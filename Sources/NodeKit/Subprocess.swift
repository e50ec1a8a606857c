import CGlibc
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion (shell stages, external trainers) with posix_spawn and waitpid on the calling thread: its standard streams
/// on given descriptors, every other descriptor closed, in a given directory. (Foundation's Process costs
/// tens of milliseconds a spawn here; this costs about one, which is most of a trivial shell stage.)
public enum Subprocess {
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ path: String, arguments: [String], environment: [String: String], directory: String,
                    stdin: Int32, stdout: Int32, stderr: Int32) throws(Failure) -> Termination {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let error = jf_spawn(path, argv, envp, directory, stdin, stdout, stderr, 0, &pid)
        guard error == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(error)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for \(path): \(String(cString: strerror(errno)))") }
        }
        // The wait status's layout (WIFEXITED and friends are macros Swift does not import).
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// POSIX single-quoting for a command line: `'…'`, with each `'` written as `'\''`.
    public static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
