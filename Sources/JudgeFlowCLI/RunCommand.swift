import ArtifactStore
import Foundation
import NodeKit
import WorkflowEngine
import WorkflowPlan
import WorkflowSpec

/// `judgeflow run FILE`: plan, skip what is cached, run the rest, summarise.
enum RunCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--jobs", "--only", "--force", "--store", "--executor"],
                                 booleans: ["--dry-run", "--verbose", "--quiet", "--keep-going", "--fail-fast"],
                                 aliases: ["-j": "--jobs", "-v": "--verbose", "-q": "--quiet", "-k": "--keep-going"])
        let path = try CLI.workflowPath(args)
        let graph = try CLI.loadGraph(path, overrides: args.all("--set"), registry: registry)
        for name in args.all("--only") + args.all("--force") where graph.index(of: name) == nil {
            throw .usage("no node named '\(name)' in \(path)"
                         + (Suggestion.closest(to: name, in: graph.nodes.map(\.name)).map { ". Did you mean '\($0)'?" } ?? ""))
        }
        let store = try CLI.openStore(args)
        let id = ArtifactStore.workflowID(for: path)
        if args.flag("--dry-run") {
            return try StatusCommand.report(graph: graph, store: store, id: id, json: false, verb: "would run")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var options = RunOptions(jobs: try args.int("--jobs") ?? cores, only: args.all("--only"),
                                 force: args.all("--force"), threads: cores)
        // Keep-going is the default; `-k` is accepted for make and Snakemake habits, and contradicts --fail-fast.
        if args.flag("--keep-going") && args.flag("--fail-fast") { throw .usage("choose one of --keep-going and --fail-fast") }
        options.failFast = args.flag("--fail-fast")
        if let executor = args.value("--executor") {
            guard ExecutorName.all.contains(executor) else {
                throw .usage("unknown executor '\(executor)'; choose one of \(ExecutorName.all.joined(separator: ", "))")
            }
            options.executor = executor
        }
        let progress = TerminalProgress(live: CLI.isTerminal(), verbose: args.flag("--verbose"), quiet: args.flag("--quiet"))
        let slurm = try slurmDriver(graph: graph, options: options, path: path, overrides: args.all("--set"), progress: progress)
        let summary: RunSummary
        do {
            summary = try Executor(graph: graph, store: store, options: options, reporter: progress, workflowID: id,
                               executions: slurm.map { [$0] } ?? []).run()
        } catch {
            progress.stop()
            throw .store(error)
        }
        progress.stop()
        var line = String(format: "%d ran, %d cached, %d failed", summary.ran, summary.cached, summary.failed)
        if summary.skipped > 0 { line += ", \(summary.skipped) skipped" }
        line += String(format: " in %.2fs", summary.seconds)
        if !args.flag("--quiet") || !summary.succeeded { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if path.hasSuffix(".lock") {
            let differences = try LockCommand.compare(lockPath: path, graph: graph, store: store, id: id)
            if !differences.isEmpty {
                FileHandle.standardError.write(Data(("not reproduced:\n" + differences.map { "  " + $0 }.joined(separator: "\n") + "\n").utf8))
                return 1
            }
            FileHandle.standardError.write(Data("reproduced: every key and output digest matches \(path)\n".utf8))
        }
        return summary.succeeded ? 0 : 1
    }

    /// The Slurm driver when any node runs under Slurm: sbatch must be there, and Ctrl-C or SIGTERM
    /// cancels the jobs this run submitted before it exits.
    static func slurmDriver(graph: Graph, options: RunOptions, path: String, overrides: [String],
                            progress: TerminalProgress) throws(CLIError) -> SlurmDriver? {
        let selected = options.only.isEmpty ? Set(graph.nodes.indices) : graph.upstreamClosure(of: options.only.compactMap { graph.index(of: $0) })
        guard selected.contains(where: { Executor.executorName(of: graph.nodes[$0], graph: graph, options: options) == "slurm" }) else { return nil }
        guard SlurmCommands.isInstalled else { throw .failed(SchedulerError.notInstalled(command: "sbatch").description) }
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let cwd = FileManager.default.currentDirectoryPath
        let workflow = path.hasPrefix("/") ? path : (cwd + "/" + path as NSString).standardizingPath
        let poll = Double(ProcessInfo.processInfo.environment["JUDGEFLOW_SLURM_POLL"] ?? "") ?? 0.5
        let driver = SlurmDriver(scheduler: SlurmCommands(),
                                 invocation: .init(binary: binary, workflow: workflow, overrides: overrides, directory: cwd),
                                 pollInterval: max(0.05, poll))
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let jobs = driver.cancelAll()
                progress.stop()
                let name = sig == SIGINT ? "interrupted" : "terminated"
                FileHandle.standardError.write(Data("judgeflow: \(name); cancelled \(jobs.count) slurm job(s)\(jobs.isEmpty ? "" : ": " + jobs.joined(separator: " "))\n".utf8))
                exit(128 + sig)
            }
            source.resume()
            signalSources.append(source)
        }
        return driver
    }

    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []
}
