import ArtifactStore
import Foundation
import WorkflowSpec
#if canImport(Glibc)
import Glibc
#endif

/// The Slurm executor's driver side: how a node becomes a batch job (the job runs `judgeflow exec-node`
/// against the same store), one thread polling the states of every job in flight, and the jobs this
/// driver submitted, so that Ctrl-C or SIGTERM cancels them (`cancelAll`).
public final class SlurmDriver: @unchecked Sendable {
    /// How a compute node re-creates this run: the judgeflow binary, the workflow file and its `--set`s.
    public struct Invocation: Sendable {
        public var binary: String
        public var workflow: String
        public var overrides: [String]
        public var directory: String
        public init(binary: String, workflow: String, overrides: [String], directory: String) {
            self.binary = binary
            self.workflow = workflow
            self.overrides = overrides
            self.directory = directory
        }
    }

    let scheduler: any JobScheduler
    let invocation: Invocation
    let pollInterval: Double
    private let lock = NSCondition()
    private var watched: [String: JobStatus?] = [:]    // job → last state seen (nil: not yet)
    private var submitted: Set<String> = []
    private var stopping = false
    private var pollerStarted = false

    public init(scheduler: any JobScheduler, invocation: Invocation, pollInterval: Double = 0.5) {
        self.scheduler = scheduler
        self.invocation = invocation
        self.pollInterval = pollInterval
    }

    /// The sbatch options for a node's resources.
    static func sbatchArguments(_ r: Resources) -> [String] {
        var args: [String] = []
        if let cpus = r.cpus { args.append("--cpus-per-task=\(cpus)") }
        if let mb = r.memoryMB { args.append("--mem=\(mb)M") }
        if let gpus = r.gpus, gpus > 0 { args.append("--gres=gpu:\(gpus)") }
        if let time = r.time { args.append("--time=\(time)") }
        if let partition = r.partition { args.append("--partition=\(partition)") }
        return args + r.sbatchArgs
    }

    /// The job's name: one per key, so a later driver finds a job that an earlier one left running.
    static func jobName(_ key: Digest) -> String { "jf-" + key.hex.prefix(16) }

    /// Submits and remembers the job; refuses once the driver is stopping (and cancels a job that was
    /// accepted just as it began to).
    func submit(script: String, arguments: [String]) throws(SchedulerError) -> String {
        if lock.withLock({ stopping }) { throw .commandFailed(command: "sbatch", status: "not run", output: "the run is being stopped") }
        let job = try scheduler.submit(script: script, arguments: arguments)
        let late = lock.withLock { () -> Bool in
            if stopping { return true }
            submitted.insert(job)
            return false
        }
        if late {
            scheduler.cancel([job])
            throw .commandFailed(command: "sbatch", status: "cancelled", output: "the run is being stopped")
        }
        return job
    }

    /// Takes over a job an earlier driver submitted: it is cancelled with this driver's own.
    func adopt(_ job: String) {
        lock.withLock { _ = submitted.insert(job) }
    }

    /// Blocks until `job` has ended; `changed` is called with each new state seen (pending, running, …).
    func wait(for job: String, changed: (JobStatus) -> Void) -> JobStatus {
        lock.withLock {
            watched[job] = .some(nil)
            if !pollerStarted {
                pollerStarted = true
                Thread.detachNewThread { [self] in poll() }
            }
        }
        var last: JobStatus?
        while true {
            let seen: JobStatus = lock.withLock {
                while true {
                    if let s = watched[job] ?? nil, s != last { return s }
                    lock.wait()
                }
            }
            changed(seen)
            last = seen
            if !seen.isActive {
                lock.withLock {
                    watched[job] = nil
                    submitted.remove(job)
                }
                return seen
            }
        }
    }

    private func poll() {
        var missing: [String: Int] = [:]
        while true {
            usleep(UInt32(pollInterval * 1_000_000))
            let jobs = lock.withLock { Array(watched.keys) }
            guard !jobs.isEmpty else { continue }
            guard let states = try? scheduler.status(of: jobs) else { continue }
            lock.withLock {
                for job in jobs where watched[job] != nil {
                    if let s = states[job] {
                        missing[job] = nil
                        if watched[job]! != s { watched[job] = s }
                    } else {
                        // Forgotten by the controller (or never known): after a few polls, it is gone.
                        missing[job, default: 0] += 1
                        if missing[job]! >= 6 { watched[job] = JobStatus(state: "VANISHED", reason: "the scheduler no longer knows the job") }
                    }
                }
                lock.broadcast()
            }
        }
    }

    /// Cancels every job this driver submitted that has not ended, and submits no more; returns them.
    @discardableResult
    public func cancelAll() -> [String] {
        let jobs = lock.withLock { () -> [String] in
            stopping = true
            return submitted.sorted { Int($0) ?? 0 < Int($1) ?? 0 }
        }
        scheduler.cancel(jobs)
        return jobs
    }
}
