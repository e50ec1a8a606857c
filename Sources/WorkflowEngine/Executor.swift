import ArtifactStore
import Foundation
import WorkflowPlan
import WorkflowSpec

/// How a run goes: how many nodes at once, which to run or force, the thread budget, and fail-fast.
public struct RunOptions: Sendable {
    public var jobs: Int
    /// Run only these nodes and what they need.
    public var only: [String] = []
    /// Rerun these nodes even if their key is stored.
    public var force: [String] = []
    /// The thread budget: the cores that the nodes running at once share (outputs never depend on it).
    public var threads: Int
    /// Stop starting nodes after the first failure (default: keep going with independent branches).
    public var failFast = false
    /// The command line's `--executor`: beats the workflow's top-level `executor:`, not a stage's own.
    public var executor: String?

    public init(jobs: Int, only: [String] = [], force: [String] = [], threads: Int) {
        self.jobs = max(1, jobs)
        self.only = only
        self.force = force
        self.threads = max(1, threads)
    }
}

public struct RunSummary: Sendable {
    public var outcomes: [String: NodeOutcome]
    public var seconds: Double
    public func count(_ match: (NodeOutcome) -> Bool) -> Int { outcomes.values.filter(match).count }
    public var ran: Int { count { if case .ran = $0 { true } else { false } } }
    public var cached: Int { count { $0 == .cached || $0 == .builtElsewhere } }
    public var failed: Int { count { if case .failed = $0 { true } else { false } } }
    public var skipped: Int { count { if case .skipped = $0 { true } else { false } } }
    public var succeeded: Bool { failed == 0 && skipped == 0 }
}

public final class Executor: @unchecked Sendable {
    let graph: Graph
    let store: any ArtifactStorage
    let workspace: any Workspace
    let options: RunOptions
    let reporter: ProgressReporter
    let workflowID: String
    /// The executors this run can place nodes on, by name (`local` is always there).
    let executions: [String: any NodeExecution]
    /// Where nodes run on this host, reused from one node to the next.
    let workDirectories: WorkDirectories
    /// Where this process runs nodes, for their run records (a Slurm job sets it for the node it builds).
    var placement = Placement()
    /// The key whose build lock another process holds for this one, and its token (a Slurm job's node).
    var joinedLock: (key: Digest, token: String)?

    struct Placement {
        var executor: String?
        var job: String?
        var host: String?
    }

    /// `workspace` defaults to the workflow's directory on disk.
    public init(graph: Graph, store: any ArtifactStorage, options: RunOptions, reporter: ProgressReporter, workflowID: String,
                workspace: (any Workspace)? = nil, executions: [any NodeExecution] = []) {
        self.graph = graph
        self.store = store
        workDirectories = WorkDirectories(store: store)
        self.workspace = workspace ?? DiskWorkspace(directory: graph.workflow.directory,
                                                    digestCache: store.fileDigestCache(forWorkspace: graph.workflow.directory))
        self.options = options
        self.reporter = reporter
        self.workflowID = workflowID
        var byName: [String: any NodeExecution] = ["local": LocalExecution()]
        for e in executions { byName[e.name] = e }
        self.executions = byName
    }

    /// The executor node `i` runs on: its stage's own choice, else `--executor`, else the workflow's, else local.
    public static func executorName(of node: PlannedNode, graph: Graph, options: RunOptions) -> String {
        node.source.executor ?? options.executor ?? graph.workflow.executor ?? "local"
    }

    /// A node whose executor this run was not given fails with that said.
    func execution(of i: Int) -> (any NodeExecution)? { executions[Self.executorName(of: graph.nodes[i], graph: graph, options: options)] }

    func usesLocalCores(_ i: Int) -> Bool { execution(of: i)?.usesLocalCores ?? true }

    /// A finished execution, handed from a worker thread back to the coordinator.
    public struct Completion: Sendable {
        var node: Int
        var outcome: NodeOutcome
        var outputs: [String: OutputRef]?
    }

    public func run() throws(StoreError) -> RunSummary {
        let startTime = Date()
        let runLock = try store.lockForRun()
        defer { withExtendedLifetime(runLock) {} }
        // Decoded only when needed: to explain why a node runs, or to merge records. An unreadable record
        // is treated as absent: this run writes a readable one in its place.
        lazy var previous = (try? store.workflowRecord(id: workflowID)) ?? nil
        let selected: Set<Int> = options.only.isEmpty
            ? Set(graph.nodes.indices)
            : graph.upstreamClosure(of: options.only.compactMap { graph.index(of: $0) })
        let forced = Set(options.force.compactMap { graph.index(of: $0) })

        var outputs: [Int: [String: OutputRef]] = [:]
        var outcomes: [Int: NodeOutcome] = [:]
        /// Each decided node's key inputs; their records are built only if the stored run record differs.
        var decided: [String: NodeKeyInputs] = [:]
        var pending = graph.nodes.map { node in node.dependencies.filter(selected.contains).count }
        var ready = graph.order.filter { selected.contains($0) && pending[$0] == 0 }
        /// Decided stale, waiting for a job slot and a share of the cores.
        var runnable: [(node: Int, inputs: NodeKeyInputs, reasons: [String])] = []
        var held: [Int: Int] = [:]
        let completions = CompletionQueue()
        noteIgnoredResources(selected)

        func settle(_ i: Int, _ outcome: NodeOutcome, _ outs: [String: OutputRef]?) {
            outcomes[i] = outcome
            outputs[i] = outs
            reporter.finished(graph.nodes[i].name, outcome: outcome)
            for d in graph.dependents[i] where selected.contains(d) {
                pending[d] -= 1
                if pending[d] == 0 { ready.append(d) }
            }
        }
        func failFastReason() -> String? {
            guard options.failFast, let failed = outcomes.first(where: { if case .failed = $0.value { true } else { false } })
            else { return nil }
            return "--fail-fast after \(graph.nodes[failed.key].name) failed"
        }

        while !ready.isEmpty || !runnable.isEmpty || !held.isEmpty {
            while !ready.isEmpty {
                let i = ready.removeFirst()
                let node = graph.nodes[i]
                if let reason = failFastReason() {
                    settle(i, .skipped(reason: reason), nil)
                    continue
                }
                if let bad = node.dependencies.first(where: { outputs[$0] == nil }) {
                    settle(i, .skipped(reason: "upstream \(graph.nodes[bad].name) did not succeed"), nil)
                    continue
                }
                let decision: Decision
                do {
                    decision = try graph.decide(i, outputs: outputs, cache: store, workspace: workspace,
                                                previous: { previous?.nodes[node.name] }, forced: forced.contains(i))
                } catch {
                    settle(i, .failed(message: error.description, logTail: "", logPath: nil), nil)
                    continue
                }
                guard let inputs = decision.inputs else { continue }
                decided[node.name] = inputs
                if let manifest = decision.manifest {
                    do { try restore(decision.restores, from: manifest) } catch {
                        settle(i, .failed(message: error.description, logTail: "", logPath: nil), nil)
                        continue
                    }
                    settle(i, .cached, manifest.outputs)
                } else {
                    runnable.append((i, inputs, decision.staleness.reasons))
                }
            }
            // A Slurm job takes no local cores: only -j bounds how many are in flight.
            let free = options.threads - held.values.reduce(0, +)
            if let next = runnable.first, held.count < options.jobs, free > 0 || !usesLocalCores(next.node) {
                runnable.removeFirst()
                if let reason = failFastReason() {
                    settle(next.node, .skipped(reason: reason), nil)
                    continue
                }
                let share = usesLocalCores(next.node) ? max(1, free / min(runnable.count + 1, options.jobs - held.count)) : 0
                held[next.node] = share
                let node = graph.nodes[next.node]
                reporter.started(node.name, reasons: next.reasons)
                let upstream = node.inputs.mapValues { edges in edges.map { outputs[$0.node]![$0.output]! } }
                let force = forced.contains(next.node)
                guard let execution = execution(of: next.node) else {
                    held[next.node] = nil
                    let name = Self.executorName(of: node, graph: graph, options: options)
                    settle(next.node, .failed(message: "executor '\(name)' is not available in this run", logTail: "", logPath: nil), nil)
                    continue
                }
                Thread.detachNewThread { [self] in
                    completions.push(execution.build(next.node, inputs: next.inputs, upstream: upstream, force: force,
                                                     threads: share, in: self))
                }
                continue
            }
            if !held.isEmpty {
                let done = completions.pop()
                held[done.node] = nil
                settle(done.node, done.outcome, done.outputs)
            }
        }

        // Keep the latest key of every node still in the workflow, for `status` and `gc`.
        var keys = decided.mapValues(\.key)
        let kept = decided.count < graph.nodes.count
            ? (previous?.nodes ?? [:]).filter { decided[$0.key] == nil && graph.index(of: $0.key) != nil } : [:]
        for (name, record) in kept { keys[name] = record.key }
        if !store.hasWorkflowRecord(workflow: graph.workflow.file, keys: keys, id: workflowID) {
            try store.updateWorkflowRecord(workflow: graph.workflow.file, nodes: decided.mapValues(\.record).merging(kept) { a, _ in a },
                                           id: workflowID)
        }
        workspace.saveDigests()
        if outcomes.values.contains(where: { if case .ran = $0 { true } else { false } }) { store.persist() }
        var named: [String: NodeOutcome] = [:]
        for (i, o) in outcomes { named[graph.nodes[i].name] = o }
        return RunSummary(outcomes: named, seconds: Date().timeIntervalSince(startTime))
    }

    /// Local runs ignore what only a batch job can use, and say so once.
    func noteIgnoredResources(_ selected: Set<Int>) {
        var fields = Set<String>()
        var stages = Set<String>()
        for i in selected where usesLocalCores(i) && !graph.nodes[i].source.resources.isEmpty {
            fields.formUnion(graph.nodes[i].source.resources.setFields)
            stages.insert(graph.nodes[i].source.stageName)
        }
        guard !fields.isEmpty else { return }
        reporter.message("note: the local executor ignores resources (\(fields.sorted().joined(separator: ", "))) of "
                         + "\(stages.count == 1 ? "stage \(stages.first!)" : "\(stages.count) stages"); they are what a Slurm job requests")
    }

    /// Writes a cached node's workspace files back (the decision listed those missing or edited).
    func restore(_ paths: [String], from manifest: Manifest) throws(StoreError) {
        for path in paths {
            guard let ref = manifest.outputs[path] else { continue }
            try store.materialize(ref, at: workspace.directory + "/" + path)
        }
    }
}

/// Worker → coordinator hand-off.
final class CompletionQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let signal = DispatchSemaphore(value: 0)
    private var items: [Executor.Completion] = []

    func push(_ c: Executor.Completion) {
        lock.withLock { items.append(c) }
        signal.signal()
    }

    func pop() -> Executor.Completion {
        signal.wait()
        return lock.withLock { items.removeFirst() }
    }
}
