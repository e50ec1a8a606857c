import ArtifactStore
import WorkflowSpec

/// A node bound to its type, with params completed by defaults and edges resolved to node indices.
public struct PlannedNode: Sendable {
    public let index: Int
    public let name: String
    public let type: any NodeType
    public let source: ResolvedNode
    /// All params, defaults filled in.
    public let params: [String: Value]
    /// The params that enter the key (`affectsOutput`).
    public let identityParams: [String: Value]
    /// Input name → edges, in the order written.
    public let inputs: [String: [Edge]]
    /// Workspace files read that no node produces (hashed into the key).
    public let sourceFiles: [String]
    /// Workspace files read that another node writes: path → edge to that output.
    public let producedFiles: [String: Edge]
    public let workspaceWrites: [String]
    public let outputs: [String]
    /// Indices of the nodes this one reads from.
    public let dependencies: [Int]
}

/// One edge: an output of an upstream node.
public struct Edge: Sendable, Hashable {
    public let node: Int
    public let output: String
}

public struct Graph: Sendable {
    public let workflow: ResolvedWorkflow
    public let nodes: [PlannedNode]
    /// Node indices, dependencies before dependents (stable: declaration order among peers).
    public let order: [Int]
    public let dependents: [[Int]]
    private let indexByName: [String: Int]

    init(workflow: ResolvedWorkflow, nodes: [PlannedNode], order: [Int], dependents: [[Int]]) {
        self.workflow = workflow
        self.nodes = nodes
        self.order = order
        self.dependents = dependents
        self.indexByName = Dictionary(nodes.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
    }

    /// O(1).
    public func index(of name: String) -> Int? { indexByName[name] }

    /// The nodes `names` need: themselves and everything upstream of them.
    public func upstreamClosure(of names: [Int]) -> Set<Int> {
        var seen = Set(names), stack = names
        while let n = stack.popLast() {
            for d in nodes[n].dependencies where seen.insert(d).inserted { stack.append(d) }
        }
        return seen
    }

    /// The nodes downstream of `start`, itself included.
    public func downstreamCone(of start: Int) -> Set<Int> {
        var seen: Set<Int> = [start], stack = [start]
        while let n = stack.popLast() {
            for d in dependents[n] where seen.insert(d).inserted { stack.append(d) }
        }
        return seen
    }
}
