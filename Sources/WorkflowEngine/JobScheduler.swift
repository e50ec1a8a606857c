import Foundation
import NodeKit
#if canImport(Glibc)
import Glibc
#endif

/// What the Slurm executor needs of a batch scheduler: submit a script, read jobs' states, find the jobs
/// of a name, cancel. `SlurmCommands` does it with Slurm's own client commands; a fake injects faults.
public protocol JobScheduler: Sendable {
    /// Submits `script` with sbatch `arguments`; returns the job id.
    func submit(script: String, arguments: [String]) throws(SchedulerError) -> String
    /// The states of `jobs` that the scheduler still knows (a job long finished may be forgotten).
    func status(of jobs: [String]) throws(SchedulerError) -> [String: JobStatus]
    /// Jobs of this name that are still queued or running.
    func activeJobs(named name: String) throws(SchedulerError) -> [String]
    func cancel(_ jobs: [String])
}

/// One job as the scheduler reports it.
public struct JobStatus: Sendable, Equatable {
    /// Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, …
    public var state: String
    /// Slurm's reason field (why pending, or why it ended), "None" when there is none.
    public var reason: String
    /// `exit:signal` of the batch script, when known.
    public var exitCode: String?

    public init(state: String, reason: String, exitCode: String? = nil) {
        self.state = state
        self.reason = reason
        self.exitCode = exitCode
    }

    static let activeStates: Set<String> = ["PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED",
                                            "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD"]
    public var isActive: Bool { Self.activeStates.contains(state) }

    /// What a finished job's state means for the node it ran, in words.
    public var explanation: String {
        switch state {
        case "COMPLETED": "completed"
        case "FAILED": exitCode.map { "the job failed (exit \($0))" } ?? "the job failed"
        case "TIMEOUT": "the job ran past its time limit (resources: time) and Slurm stopped it"
        case "OUT_OF_MEMORY": "the job used more memory than it asked for (resources: memory) and was killed"
        case "CANCELLED": "the job was cancelled (scancel, or an administrator)"
        case "NODE_FAIL": "the compute node running the job failed"
        case "PREEMPTED": "the job was preempted by a higher-priority job"
        case "BOOT_FAIL": "the compute node failed to boot for the job"
        case "DEADLINE": "the job missed its deadline"
        default: "the job ended in state \(state)"
        }
    }
}

public enum SchedulerError: Error, CustomStringConvertible, Equatable {
    case commandFailed(command: String, status: String, output: String)
    case notInstalled(command: String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let output):
            "\(command) \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines).suffix(400))"
        case .notInstalled(let command):
            "\(command) is not on PATH: the slurm executor needs Slurm's client commands (sbatch, squeue, scontrol, scancel)"
        }
    }
}

/// Slurm through its client commands, each bounded by `timeout` (they retry for minutes while the
/// controller is down). Accounting may be off, so `sacct` is never used: `squeue -t all` reports jobs
/// until the controller forgets them (MinJobAge, 300 s by default), and `scontrol show job` their exit code.
public struct SlurmCommands: JobScheduler {
    public var timeoutSeconds: Int

    public init(timeoutSeconds: Int = 60) { self.timeoutSeconds = timeoutSeconds }

    /// Whether sbatch is on PATH.
    public static var isInstalled: Bool { CommandLine.which("sbatch") != nil }

    public func submit(script: String, arguments: [String]) throws(SchedulerError) -> String {
        let out = try run("sbatch", arguments + [script])
        // --parsable prints `jobid` or `jobid;cluster`.
        let id = out.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .commandFailed(command: "sbatch", status: "printed no job id", output: out)
        }
        return id
    }

    public func status(of jobs: [String]) throws(SchedulerError) -> [String: JobStatus] {
        guard !jobs.isEmpty else { return [:] }
        var result: [String: JobStatus] = [:]
        let out: String
        do { out = try run("squeue", ["-h", "-t", "all", "-j", jobs.joined(separator: ","), "-o", "%i|%T|%r"]) } catch {
            // squeue fails outright when every id is unknown: that is an empty answer, not an error.
            guard case .commandFailed(_, _, let output) = error, output.contains("Invalid job id") else { throw error }
            out = ""
        }
        for line in out.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if f.count == 3 { result[f[0]] = JobStatus(state: f[1], reason: f[2]) }
        }
        for (id, s) in result where !s.isActive && s.state != "COMPLETED" {
            result[id]?.exitCode = details(id)["ExitCode"]
        }
        return result
    }

    /// `scontrol show job -o`'s fields.
    func details(_ job: String) -> [String: String] {
        guard let out = try? run("scontrol", ["show", "job", "-o", job]) else { return [:] }
        var fields: [String: String] = [:]
        for word in out.split(whereSeparator: \.isWhitespace) {
            guard let eq = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        return fields
    }

    public func activeJobs(named name: String) throws(SchedulerError) -> [String] {
        let out = try run("squeue", ["-h", "-n", name, "-o", "%i|%T"])
        return out.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|").map(String.init)
            return f.count == 2 && JobStatus.activeStates.contains(f[1]) ? f[0] : nil
        }
    }

    public func cancel(_ jobs: [String]) {
        guard !jobs.isEmpty else { return }
        _ = try? run("scancel", jobs)
    }

    /// Runs a client command; its standard output, or an error with what it printed.
    func run(_ command: String, _ arguments: [String]) throws(SchedulerError) -> String {
        guard let path = CommandLine.which(command), let timeout = CommandLine.which("timeout") else {
            throw .notInstalled(command: command)
        }
        let outPath = NSTemporaryDirectory() + "/judgeflow-slurm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(outPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .commandFailed(command: command, status: "could not start", output: "cannot create \(outPath)") }
        defer { close(fd); unlink(outPath) }
        let devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devnull) }
        let termination: Subprocess.Termination
        do {
            termination = try Subprocess.run(timeout, arguments: ["-k", "5", String(timeoutSeconds), path] + arguments,
                                             environment: ProcessInfo.processInfo.environment,
                                             directory: FileManager.default.currentDirectoryPath, stdin: devnull, stdout: fd, stderr: fd)
        } catch {
            throw .commandFailed(command: command, status: "could not start", output: error.description)
        }
        let output = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self)
        switch termination {
        case .exited(0): return output
        case .exited(124): throw .commandFailed(command: command, status: "timed out after \(timeoutSeconds) s (is slurmctld up?)", output: output)
        case .exited(let code): throw .commandFailed(command: command, status: "exited \(code)", output: output)
        case .signalled(let s): throw .commandFailed(command: command, status: "killed by signal \(s)", output: output)
        }
    }
}

extension CommandLine {
    /// The first executable named `name` on PATH.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 { return "\(dir)/\(name)" }
        return nil
    }
}
