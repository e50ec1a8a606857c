import ArtifactStore
import Foundation
import NodeKit
import WorkflowEngine
import WorkflowPlan
import WorkflowSpec

/// `judgeflow run FILE`: plan, skip what is cached, run the rest, summarise.
enum RunCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--jobs", "--only", "--force", "--store"],
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
        let progress = TerminalProgress(live: CLI.isTerminal(), verbose: args.flag("--verbose"), quiet: args.flag("--quiet"))
        let summary: RunSummary
        do {
            summary = try Executor(graph: graph, store: store, options: options, reporter: progress, workflowID: id).run()
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
}
