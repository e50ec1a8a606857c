import ArtifactStore
import Foundation
import NodeKit
import WorkflowPlan
import WorkflowSpec

/// The Slurm executor: each node is one batch job that runs `judgeflow exec-node` on a compute node
/// against the same store, while the driver holds (and renews) the key's lock and tracks the job.
extension Executor {
    /// Builds node `i` as a Slurm job. A job that an earlier, killed driver left running for the same key
    /// is adopted instead of submitting a duplicate.
    func executeOnSlurm(_ i: Int, inputs: NodeKeyInputs, force: Bool, driver slurm: SlurmDriver) -> Completion {
        let node = graph.nodes[i], key = inputs.key
        let started = Date()
        let name = SlurmDriver.jobName(key)
        func failed(_ message: String, job: String? = nil) -> Completion {
            let log = job.map { store.jobDirectory(for: key) + "/\($0).log" }
            let tail = log.map { LogSink.tail(of: $0, lines: 15) } ?? ""
            return Completion(node: i, outcome: .failed(message: message, logTail: tail, logPath: log.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }),
                              outputs: nil)
        }
        func finish(_ job: String, _ end: JobStatus) -> Completion? {
            // A job the scheduler forgot may still have finished: its stored result says so.
            let manifest = end.state == "COMPLETED" ? awaitManifest(key) : end.state == "VANISHED" ? store.manifest(for: key) : nil
            if let manifest {
                do { try restore(graph.restores(i, manifest: manifest, workspace: workspace), from: manifest) } catch {
                    return failed("\(error)", job: job)
                }
                return Completion(node: i, outcome: .ran(seconds: Date().timeIntervalSince(started)), outputs: manifest.outputs)
            }
            return nil
        }
        func track(_ job: String) -> JobStatus {
            slurm.wait(for: job) { status in
                reporter.progress(node.name, fraction: 0, note: "slurm job \(job) \(status.state.lowercased())")
            }
        }
        do {
            if !force, let job = try slurm.scheduler.activeJobs(named: name).first {
                reporter.message("  \(node.name): adopting slurm job \(job), left running by an earlier run")
                slurm.adopt(job)
                if let done = finish(job, track(job)) { return done }
            }
            let lease = try store.lockKey(key)
            defer { withExtendedLifetime(lease) {} }
            guard let token = (lease as? LeaseLock)?.token else {
                return failed("the slurm executor needs a store on a shared filesystem, not \(store.location)")
            }
            if !force, let manifest = store.manifest(for: key) {
                try restore(graph.restores(i, manifest: manifest, workspace: workspace), from: manifest)
                return Completion(node: i, outcome: .builtElsewhere, outputs: manifest.outputs)
            }
            let directory = store.jobDirectory(for: key)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let script = directory + "/job.sh"
            try jobScript(node: node, key: key, token: token, force: force, invocation: slurm.invocation)
                .write(toFile: script, atomically: true, encoding: .utf8)
            let arguments = ["--parsable", "--job-name=\(name)", "--output=\(directory)/%j.log", "--chdir=\(slurm.invocation.directory)"]
                + SlurmDriver.sbatchArguments(node.source.resources)
            let job = try slurm.submit(script: script, arguments: arguments)
            reporter.progress(node.name, fraction: 0, note: "slurm job \(job) submitted")
            let end = track(job)
            if let done = finish(job, end) { return done }
            let log = store.jobDirectory(for: key) + "/\(job).log"
            if end.state == "COMPLETED" {
                return failed("slurm job \(job) completed but stored no result for this node (see its log)", job: job)
            }
            return failed("slurm job \(job) \(end.state): \(Self.explain(end, log: LogSink.tail(of: log, lines: 40)))", job: job)
        } catch let error as SchedulerError {
            return failed("slurm: \(error)")
        } catch {
            return failed("\(error)")
        }
    }

    /// What a finished job's state means; a job killed for its memory by a cluster without cgroups ends
    /// FAILED or CANCELLED with slurmstepd's words in its log, which are recognised too.
    static func explain(_ status: JobStatus, log: String) -> String {
        let lower = log.lowercased()
        if status.state != "OUT_OF_MEMORY", lower.contains("exceeded job memory limit") || lower.contains("oom-kill") || lower.contains("out of memory") {
            return "the job used more memory than it asked for (resources: memory) and Slurm killed it"
        }
        return status.explanation + (status.reason != "None" && !status.reason.isEmpty ? " (reason: \(status.reason))" : "")
    }

    /// The job's manifest, waiting a little for a shared filesystem to show another host's writes.
    func awaitManifest(_ key: Digest) -> Manifest? {
        for attempt in 0..<40 {
            if let manifest = store.manifest(for: key) { return manifest }
            if attempt < 39 { usleep(250_000) }
        }
        return nil
    }

    func jobScript(node: PlannedNode, key: Digest, token: String, force: Bool, invocation inv: SlurmDriver.Invocation) -> String {
        var words = [inv.binary, "exec-node", inv.workflow, "--node", node.name, "--key", key.hex, "--lock-token", token,
                     "--store", store.location, "--threads", String(node.source.resources.cpus ?? 1)]
        if force { words.append("--force") }
        for o in inv.overrides { words += ["--set", o] }
        return """
            #!/bin/sh
            # judgeflow: node \(node.name) of \(inv.workflow), key \(key.hex)
            exec \(words.map(Subprocess.quoted).joined(separator: " "))

            """
    }

    /// Builds one node in this process, as a Slurm job does for its driver: everything upstream must
    /// already be stored, and the node's key must be `expected` (else the workflow or its inputs changed
    /// since the driver submitted the job, and nothing is built). `lockToken` is the driver's lock on the key.
    public func runOne(node name: String, expected: Digest, lockToken: String?, job: String?) throws(StoreError) -> NodeOutcome {
        guard let target = graph.index(of: name) else {
            return .failed(message: "no node named '\(name)' in \(graph.workflow.file)", logTail: "", logPath: nil)
        }
        let runLock = try store.lockForRun()
        defer { withExtendedLifetime(runLock) {} }
        placement = Placement(executor: "slurm", job: job, host: LeaseLock.hostName)
        if let lockToken { joinedLock = (expected, lockToken) }
        let force = options.force.contains(name)
        var outputs: [Int: [String: OutputRef]] = [:]
        let needed = graph.upstreamClosure(of: [target])
        for i in graph.order where needed.contains(i) {
            let decision = try graph.decide(i, outputs: outputs, cache: store, workspace: workspace, previous: { nil },
                                            forced: i == target && force)
            guard let inputs = decision.inputs else {
                return .failed(message: "cannot decide \(graph.nodes[i].name)", logTail: "", logPath: nil)
            }
            if i != target {
                guard let manifest = decision.manifest else {
                    return .failed(message: "upstream \(graph.nodes[i].name) is not in the store \(store.location)", logTail: "", logPath: nil)
                }
                try restore(decision.restores, from: manifest)
                outputs[i] = manifest.outputs
                continue
            }
            guard inputs.key == expected else {
                return .failed(message: "\(name)'s key is \(inputs.key.short) here, not the \(expected.short) its driver submitted: "
                               + "the workflow or its inputs changed since", logTail: "", logPath: nil)
            }
            let node = graph.nodes[i]
            let upstream = node.inputs.mapValues { edges in edges.map { outputs[$0.node]![$0.output]! } }
            return execute(i, inputs: inputs, upstream: upstream, force: force, threads: options.threads).outcome
        }
        return .failed(message: "\(name) was not reached", logTail: "", logPath: nil)
    }
}
