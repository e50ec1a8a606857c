import ArtifactStore
import Foundation
import WorkflowEngine
import WorkflowPlan
import WorkflowSpec

/// `judgeflow exec-node FILE --node NAME --key HEX`: builds one node into the store, as the batch job of
/// the Slurm executor does on a compute node (not in `--help`: the driver writes this line into each job's
/// script). Everything upstream must already be stored; a key other than HEX means the workflow changed
/// since submission, and nothing is built. Exit 0 when the node's outputs are stored, 1 otherwise.
enum ExecNodeCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--node", "--key", "--lock-token", "--store", "--threads"],
                                 booleans: ["--force"])
        let path = try CLI.workflowPath(args)
        guard let name = args.value("--node") else { throw .usage("exec-node needs --node NAME") }
        guard let keyText = args.value("--key"), let key = Digest(hex: keyText) else { throw .usage("exec-node needs --key with a node key") }
        let graph = try CLI.loadGraph(path, overrides: args.all("--set"), registry: registry)
        let store = try CLI.openStore(args)
        let environment = ProcessInfo.processInfo.environment
        let threads = try args.int("--threads") ?? Int(environment["SLURM_CPUS_PER_TASK"] ?? "") ?? 1
        let options = RunOptions(jobs: 1, force: args.flag("--force") ? [name] : [], threads: threads)
        let progress = TerminalProgress(live: false, verbose: true)
        let executor = Executor(graph: graph, store: store, options: options, reporter: progress,
                                workflowID: ArtifactStore.workflowID(for: path))
        let outcome: NodeOutcome
        do {
            outcome = try executor.runOne(node: name, expected: key, lockToken: args.value("--lock-token"),
                                          job: environment["SLURM_JOB_ID"])
        } catch {
            throw .store(error)
        }
        progress.finished(name, outcome: outcome)
        store.persist()
        if case .failed = outcome { return 1 }
        return 0
    }
}
