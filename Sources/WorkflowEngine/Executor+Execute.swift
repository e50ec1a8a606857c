import ArtifactStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WorkflowPlan
import WorkflowSpec

extension Executor {
    /// Builds one node on a worker thread: takes the key's lock (a concurrent run building the same key
    /// makes this one wait and then reuse its result), verifies and hands over inputs, runs the node type,
    /// stores every output and only then records the manifest.
    func execute(_ i: Int, inputs: NodeKeyInputs, upstream: [String: [OutputRef]], force: Bool, threads: Int) -> Completion {
        let node = graph.nodes[i]
        let key = inputs.key
        let started = Date()
        var workDirectory: String?
        defer { if let workDirectory { workDirectories.give(workDirectory) } }
        do {
            // A Slurm job's node: its driver holds the key's lock and this process renews it too. If the
            // driver died and its lock lapsed before the job started, the job takes the lock itself.
            let keyLock = try joinedLock.flatMap { $0.key == key ? store.joinKeyLock(key, token: $0.token) : nil } ?? store.lockKey(key)
            defer { withExtendedLifetime(keyLock) {} }
            if !force, let manifest = store.manifest(for: key) {
                try restore(graph.restores(i, manifest: manifest, workspace: workspace), from: manifest)
                return Completion(node: i, outcome: .builtElsewhere, outputs: manifest.outputs)
            }
            let work = try workDirectories.take()
            workDirectory = work
            // `out/` is there; the scratch directory is made only by a node that asks (`makeScratchDirectory`).
            let outDir = work + "/out", scratch = work + "/scratch", logPath = work + "/node.log"
            let log = LogSink(path: logPath)
            let provided = ProvidedOutputs()

            var artifacts: [String: [InputArtifact]] = [:]
            for (name, refs) in upstream {
                artifacts[name] = try refs.enumerated().map { (n, ref) throws -> InputArtifact in
                    if ref.isTree {
                        let path = "\(work)/inputs/\(name)/\(n)"
                        try store.materialize(ref, at: path)
                        return InputArtifact(path: path, digest: ref.digest.hex, isDirectory: true)
                    }
                    return InputArtifact(path: try store.verifiedPath(ref.digest), digest: ref.digest.hex, isDirectory: false)
                }
            }
            let reporter = self.reporter, name = node.name
            let context = NodeContext(nodeName: node.name, params: node.params, inputs: artifacts, outputDirectory: outDir,
                                      workspace: workspace.directory, scratchDirectory: scratch,
                                      resumeDirectory: store.resumeDirectory(for: key),
                                      threads: threads, log: { log.write($0) }, logFile: logPath,
                                      provideOutput: { provided.set($0, $1) },
                                      progress: { reporter.progress(name, fraction: $0, note: $1) })
            // The node's own error comes first; a log that could not be written (a full disk) fails it too.
            func failed(_ error: String) -> Completion {
                // A full store disk also swallows the command's own error output: say what was seen.
                var message = error
                if let free = store.availableBytes(), free < 1 << 20 {
                    message += " (the store's filesystem is full: \(free) bytes free)"
                }
                log.write("error: \(message)\n")
                return Completion(node: i, outcome: .failed(message: message, logTail: log.tail(lines: 15), logPath: keepLog(logPath)),
                                  outputs: nil)
            }
            do { try node.type.run(context) } catch { return failed("\(error)") }
            if let logFailure = log.failure { return failed("writing the node's log: \(logFailure)") }
            var outs: [String: OutputRef] = [:]
            for output in node.outputs {
                let path = provided[output] ?? outDir + "/" + output
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                    return failed(NodeError.missingOutput(output).description)
                }
                do { outs[output] = isDir.boolValue ? try store.putDirectory(path) : try store.putFile(path) } catch {
                    // Name files by their place in the output, not by the directory they sit in.
                    return failed("storing output '\(output)': " + "\(error)".replacingOccurrences(of: path, with: output))
                }
            }
            let logDigest = try store.put(log.bytes())
            let seconds = Date().timeIntervalSince(started)
            var run = RunRecord(started: started.timeIntervalSince1970, seconds: seconds, exitStatus: 0, log: logDigest,
                                params: Value.map(node.identityParams).canonicalJSON,
                                inputs: inputs.recordedInputs, threads: threads)
            run.executor = placement.executor
            run.job = placement.job
            run.host = placement.host
            try store.record(Manifest(key: key, node: node.name, type: node.type.name,
                                      implementation: node.type.implementationVersion, outputs: outs, run: run))
            store.clearResumeDirectory(for: key)
            return Completion(node: i, outcome: .ran(seconds: seconds), outputs: outs)
        } catch {
            return Completion(node: i, outcome: .failed(message: "\(error)", logTail: "", logPath: nil), outputs: nil)
        }
    }

    /// A failed node's log outlives its work directory: it is stored and its blob path returned (nil when
    /// even that fails, e.g. on a full disk: the node's own error is what gets reported).
    func keepLog(_ path: String) -> String? {
        guard let bytes = FileManager.default.contents(atPath: path), let digest = try? store.put(Array(bytes)) else { return nil }
        return store.displayPath(of: digest)
    }
}

/// Outputs a node named as existing files (`NodeContext.provideOutput`), set from the node's threads.
final class ProvidedOutputs: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String: String] = [:]
    func set(_ name: String, _ path: String) { lock.withLock { paths[name] = path } }
    subscript(name: String) -> String? { lock.withLock { paths[name] } }
}

/// A node's log: appended from any thread, kept on disk in the work directory. A write that fails (a
/// full disk) is remembered, never a crash: the node then fails with `failure`.
final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var firstFailure: String?

    init(path: String) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) } else { firstFailure = String(cString: strerror(errno)) }
    }

    /// The first write error, if any.
    var failure: String? { lock.withLock { firstFailure } }

    func write(_ text: String) {
        let bytes = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        lock.withLock {
            let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard fd >= 0 else {
                if firstFailure == nil { firstFailure = String(cString: strerror(errno)) }
                return
            }
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    if firstFailure == nil { firstFailure = String(cString: strerror(errno)) }
                    return
                }
                offset += n
            }
        }
    }

    func bytes() -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    func tail(lines: Int) -> String { Self.tail(of: path, lines: lines) }

    /// The last `lines` lines of any log file ("" if it cannot be read).
    static func tail(of path: String, lines: Int) -> String {
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
