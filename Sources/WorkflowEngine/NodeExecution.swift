import ArtifactStore
import WorkflowPlan

/// Where a stale node is built, behind one interface: `LocalExecution` in this process's threads,
/// `SlurmDriver` as a Slurm batch job. The run loop picks one per node by its executor's name and gives it
/// a share of the local cores only if it uses them.
public protocol NodeExecution: AnyObject, Sendable {
    /// The name a workflow's `executor:` gives it.
    var name: String { get }
    /// Whether a build holds local cores while it runs (a batch job holds none: only -j bounds those).
    var usesLocalCores: Bool { get }
    /// Builds node `i` of `executor`'s graph under key `inputs.key`; called on a worker thread.
    func build(_ i: Int, inputs: NodeKeyInputs, upstream: [String: [OutputRef]], force: Bool, threads: Int,
               in executor: Executor) -> Executor.Completion
}

/// The local executor: the node type runs on a worker thread of this process.
public final class LocalExecution: NodeExecution {
    public let name = "local"
    public let usesLocalCores = true
    public init() {}
    public func build(_ i: Int, inputs: NodeKeyInputs, upstream: [String: [OutputRef]], force: Bool, threads: Int,
                      in executor: Executor) -> Executor.Completion {
        executor.execute(i, inputs: inputs, upstream: upstream, force: force, threads: threads)
    }
}

extension SlurmDriver: NodeExecution {
    public var name: String { "slurm" }
    public var usesLocalCores: Bool { false }
    public func build(_ i: Int, inputs: NodeKeyInputs, upstream: [String: [OutputRef]], force: Bool, threads: Int,
                      in executor: Executor) -> Executor.Completion {
        executor.executeOnSlurm(i, inputs: inputs, force: force, driver: self)
    }
}
