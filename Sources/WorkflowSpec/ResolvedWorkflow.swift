@_exported import NodeKit
/// The output of spec loading: a flat list of named nodes with typed params and input references,
/// after `extends`, `matrix`, `repeat`, `--set` and `${…}` are all applied. Nothing here knows node types;
/// WorkflowPlan checks these nodes against the registry.
public struct ResolvedWorkflow: Sendable, Equatable {
    /// The path the workflow was loaded from, as given.
    public var file: String
    /// The directory relative paths (shell commands, `deps`, `outs`) are resolved against.
    public var directory: String
    public var params: [String: Value]
    /// Nodes in declaration order (repeat iterations in order, matrix variants in order).
    public var nodes: [ResolvedNode]
    /// The top level's `executor:`, if any.
    public var executor: String?

    public init(file: String, directory: String, params: [String: Value], nodes: [ResolvedNode]) {
        self.file = file
        self.directory = directory
        self.params = params
        self.nodes = nodes
    }
}

/// One DAG node as written, fully resolved.
public struct ResolvedNode: Sendable, Equatable {
    /// Unique name: `stage`, `stage@3` for an unrolled iteration, `stage[arm=x]` for a matrix variant.
    public var name: String
    /// The stage's name as written in the file (what `--set stage.param=…` may target).
    public var stageName: String
    public var type: String
    public var typeLocation: SourceLocation
    public var location: SourceLocation
    public var params: [String: LocatedValue]
    /// Input name → the node outputs it reads, in order.
    public var inputs: [String: [Reference]]
    /// `local` or `slurm` when the stage names one; it beats `--executor` and the top level's `executor:`.
    public var executor: String?
    /// What a Slurm job for this node requests: the workflow's defaults with the stage's own over them.
    public var resources = Resources()

    public init(name: String, stageName: String, type: String, typeLocation: SourceLocation,
                location: SourceLocation, params: [String: LocatedValue], inputs: [String: [Reference]]) {
        self.name = name
        self.stageName = stageName
        self.type = type
        self.typeLocation = typeLocation
        self.location = location
        self.params = params
        self.inputs = inputs
    }
}

/// A param value with the place it was written.
public struct LocatedValue: Sendable, Equatable {
    public var value: Value
    /// Where the value was written.
    public var location: SourceLocation
    /// Where its name was written (unknown-param errors point here).
    public var nameLocation: SourceLocation

    public init(_ value: Value, at location: SourceLocation, nameAt nameLocation: SourceLocation? = nil) {
        self.value = value
        self.location = location
        self.nameLocation = nameLocation ?? location
    }
}

/// `node` or `node.output`: an edge of the DAG as written.
public struct Reference: Sendable, Hashable {
    public var node: String
    public var output: String?
    public var location: SourceLocation

    public init(node: String, output: String?, location: SourceLocation) {
        self.node = node
        self.output = output
        self.location = location
    }

    /// Parses `node` / `node.output`; node names never contain a dot, outputs may.
    public init(parsing text: String, at location: SourceLocation) {
        if let dot = text.firstIndex(of: ".") {
            self.init(node: String(text[..<dot]), output: String(text[text.index(after: dot)...]), location: location)
        } else {
            self.init(node: text, output: nil, location: location)
        }
    }

    public var description: String { output.map { "\(node).\($0)" } ?? node }
}
