import ArtifactStore
import WorkflowSpec

/// Decides every node's staleness without running anything (`status`, `run --dry-run`): a node is up to
/// date when its key has a manifest; a node downstream of a stale one waits, because its key depends on
/// outputs not built yet (early cutoff may still spare it at run time).
public struct StatusPlanner {
    public struct Entry: Sendable {
        public var name: String
        public var staleness: Staleness
        public var key: Digest?
        /// Workspace files that are missing or modified and will be restored from the store.
        public var restores: [String]
    }

    public let graph: Graph
    public let store: ArtifactStore
    public let previous: WorkflowRecord?
    public var fileHashes = FileHashCache()

    public init(graph: Graph, store: ArtifactStore, previous: WorkflowRecord?) {
        self.graph = graph
        self.store = store
        self.previous = previous
    }

    public mutating func plan() throws(StoreError) -> [Entry] {
        var outputs: [Int: [String: OutputRef]] = [:]
        var entries: [Int: Entry] = [:]
        for i in graph.order {
            let node = graph.nodes[i]
            let previousRecord = previous?.nodes[node.name]
            let blocked = node.dependencies.filter { outputs[$0] == nil }
            if !blocked.isEmpty {
                let own = StalenessExplainer.changes(now: nil, type: node.type.name, implementation: node.type.implementationVersion,
                                                     params: node.identityParams, previous: previousRecord)
                    .filter { $0 != "never run" || previousRecord == nil }
                entries[i] = Entry(name: node.name, staleness: .waiting(upstream: blocked.map { graph.nodes[$0].name }, ownChanges: own),
                                   key: nil, restores: [])
                continue
            }
            let inputs = try KeyResolver.keyInputs(for: node, graph: graph, outputs: outputs, hashes: &fileHashes)
            let key = inputs.key
            if let manifest = store.manifest(for: key) {
                outputs[i] = manifest.outputs
                let restores = node.workspaceWrites.filter { path in
                    guard let ref = manifest.outputs[path] else { return false }
                    return (try? ArtifactStore.hashFile(graph.workflow.directory + "/" + path).0) != ref.digest
                }
                entries[i] = Entry(name: node.name, staleness: .upToDate, key: key, restores: restores)
            } else {
                var reasons = StalenessExplainer.changes(now: inputs, type: node.type.name,
                                                         implementation: node.type.implementationVersion,
                                                         params: node.identityParams, previous: previousRecord)
                if reasons.isEmpty { reasons = ["outputs missing from the store (removed by gc or quarantined)"] }
                entries[i] = Entry(name: node.name, staleness: .stale(reasons), key: key, restores: [])
            }
        }
        return graph.nodes.indices.compactMap { entries[$0] }
    }
}

/// Workspace file digests, computed once per run.
public struct FileHashCache: Sendable {
    var digests: [String: Digest] = [:]
    public init() {}
    public mutating func digest(_ path: String) throws(StoreError) -> Digest {
        if let d = digests[path] { return d }
        let d = try ArtifactStore.hashFile(path).0
        digests[path] = d
        return d
    }
}

/// Assembles `NodeKeyInputs` from upstream output digests and workspace file digests.
public enum KeyResolver {
    public static func keyInputs(for node: PlannedNode, graph: Graph, outputs: [Int: [String: OutputRef]],
                                 hashes: inout FileHashCache) throws(StoreError) -> NodeKeyInputs {
        var inputs: [String: [Digest]] = [:]
        for (name, edges) in node.inputs {
            inputs[name] = edges.compactMap { outputs[$0.node]?[$0.output]?.digest }
        }
        var files: [String: Digest] = [:]
        for path in node.sourceFiles { files[path] = try hashes.digest(graph.workflow.directory + "/" + path) }
        for (path, edge) in node.producedFiles { files[path] = outputs[edge.node]?[edge.output]?.digest }
        return NodeKeyInputs(type: node.type.name, implementation: node.type.implementationVersion,
                             params: node.identityParams, inputs: inputs, files: files)
    }

    /// The record kept for a node after its key is known.
    public static func record(_ inputs: NodeKeyInputs) -> NodeRecord {
        NodeRecord(key: inputs.key, type: inputs.type, implementation: inputs.implementation,
                   params: inputs.params.mapValues(\.canonicalJSON), inputs: inputs.recordedInputs)
    }
}
