import ArtifactStore
import WorkflowSpec

/// Whether one node must run, decided in one place for `status`, `run --dry-run` and every executor
/// (ninja's "dirty" decision, with its explanation recorded where it is made).
///
/// Given the outputs of the nodes upstream, a read-only view of the action cache and the workspace, a
/// node is up to date when its key has a complete manifest (and it is not forced): then the decision
/// lists the workspace files to restore. Otherwise it is stale, with every reason against the workflow's
/// last run; or, when an upstream output is not known yet, waiting on it.
public struct Decision: Sendable {
    public var staleness: Staleness
    /// What the key is built from; nil while waiting.
    public var inputs: NodeKeyInputs?
    /// The complete manifest of the key, when up to date.
    public var manifest: Manifest?
    /// Workspace files the node writes that are missing or edited: restored from `manifest`.
    public var restores: [String]

    public var key: Digest? { inputs?.key }
    public var mustRun: Bool { staleness != .upToDate }
}

extension Graph {
    /// The decision for node `i`. `outputs` holds the outputs of nodes already decided up to date or
    /// built; `previous` is asked only when a reason is needed (it decodes the last run's record).
    public func decide(_ i: Int, outputs: [Int: [String: OutputRef]], cache: any ActionCache, workspace: any Workspace,
                       previous: () -> NodeRecord?, forced: Bool = false) throws(StoreError) -> Decision {
        let node = nodes[i]
        let blocked = node.dependencies.filter { outputs[$0] == nil }
        if !blocked.isEmpty {
            let record = previous()
            let own = StalenessExplainer.changes(now: nil, type: node.type.name, implementation: node.type.implementationVersion,
                                                 params: node.identityParams, previous: record)
                .filter { $0 != "never run" || record == nil }
            return Decision(staleness: .waiting(upstream: blocked.map { nodes[$0].name }, ownChanges: own),
                            inputs: nil, manifest: nil, restores: [])
        }
        let inputs = try keyInputs(i, outputs: outputs, workspace: workspace)
        if !forced, let manifest = cache.manifest(for: inputs.key) {
            return Decision(staleness: .upToDate, inputs: inputs, manifest: manifest,
                            restores: restores(i, manifest: manifest, workspace: workspace))
        }
        var reasons = forced ? ["forced"] : StalenessExplainer.changes(
            now: inputs, type: node.type.name, implementation: node.type.implementationVersion,
            params: node.identityParams, previous: previous())
        if reasons.isEmpty { reasons = ["outputs missing from the store (removed by gc or quarantined)"] }
        return Decision(staleness: .stale(reasons), inputs: inputs, manifest: nil, restores: [])
    }

    /// The workspace files node `i` writes whose content differs from `manifest`'s (missing or edited).
    public func restores(_ i: Int, manifest: Manifest, workspace: any Workspace) -> [String] {
        nodes[i].workspaceWrites.filter { path in
            guard let ref = manifest.outputs[path] else { return false }
            return workspace.currentDigest(of: path) != ref.digest
        }
    }

    /// What node `i`'s key is built from: its params, its inputs' digests and its workspace files' digests.
    public func keyInputs(_ i: Int, outputs: [Int: [String: OutputRef]], workspace: any Workspace) throws(StoreError) -> NodeKeyInputs {
        let node = nodes[i]
        var inputs: [String: [Digest]] = [:]
        for (name, edges) in node.inputs {
            inputs[name] = edges.compactMap { outputs[$0.node]?[$0.output]?.digest }
        }
        var files: [String: Digest] = [:]
        for path in node.sourceFiles { files[path] = try workspace.digest(of: path) }
        for (path, edge) in node.producedFiles { files[path] = outputs[edge.node]?[edge.output]?.digest }
        return NodeKeyInputs(type: node.type.name, implementation: node.type.implementationVersion,
                             params: node.identityParams, inputs: inputs, files: files)
    }

    /// Every node's decision in graph order, as `status` and `run --dry-run` show them: the outputs of an
    /// up-to-date node feed the decisions downstream; a stale node leaves its dependents waiting.
    public func plan(cache: any ActionCache, workspace: any Workspace, previous: WorkflowRecord?) throws(StoreError)
        -> [(name: String, decision: Decision)] {
        var outputs: [Int: [String: OutputRef]] = [:]
        var decisions: [Int: Decision] = [:]
        for i in order {
            let decision = try decide(i, outputs: outputs, cache: cache, workspace: workspace,
                                      previous: { previous?.nodes[nodes[i].name] })
            if let manifest = decision.manifest { outputs[i] = manifest.outputs }
            decisions[i] = decision
        }
        return nodes.indices.map { (nodes[$0].name, decisions[$0]!) }
    }
}

extension NodeKeyInputs {
    /// The record kept for a node in its workflow's run record once its key is known.
    public var record: NodeRecord {
        NodeRecord(key: key, type: type, implementation: implementation, params: params.mapValues(\.canonicalJSON),
                   inputs: recordedInputs)
    }
}
