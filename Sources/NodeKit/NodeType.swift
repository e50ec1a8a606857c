/// A node type has a name (`uses:`), an implementation version (part of every node key: bump it when
/// a change could alter outputs), a params schema, named inputs and outputs, and a `run` that reads
/// its inputs and writes each output under `context.outputDirectory/<output name>` (a file or a
/// directory). It must be deterministic given its params and input bytes, whatever `context.threads` is.
public protocol NodeType: Sendable {
    var name: String { get }
    var implementationVersion: String { get }
    var summary: String { get }
    var params: [ParamSpec] { get }
    var inputs: [InputSpec] { get }
    /// Output names for these params (most types return a fixed list).
    func outputs(params: [String: Value]) -> [String]
    /// Workspace files the node reads and writes (shell `deps` and `outs`); empty for most types.
    func workspaceFiles(params: [String: Value]) -> WorkspaceFiles
    /// What is wrong with a combination of params (each param alone already fits its `ParamSpec`), checked
    /// when the graph is built, before anything runs; empty for most types.
    func problems(params: [String: Value]) -> [ParamProblem]
    /// The inputs these params need: by default every input declared `required`. A type whose params
    /// choose where its model comes from (a checkpoint input or a server) needs the input for one choice only.
    func requiredInputs(params: [String: Value]) -> [String]
    func run(_ context: NodeContext) throws
}

extension NodeType {
    public func workspaceFiles(params: [String: Value]) -> WorkspaceFiles { WorkspaceFiles() }
    public func problems(params: [String: Value]) -> [ParamProblem] { [] }
    public func requiredInputs(params: [String: Value]) -> [String] { inputs.filter(\.required).map(\.name) }
}

/// Files outside the store that a node touches, relative to the workflow's directory.
public struct WorkspaceFiles: Sendable, Equatable {
    public var reads: [String]
    public var writes: [String]
    public init(reads: [String] = [], writes: [String] = []) {
        self.reads = reads
        self.writes = writes
    }
}

/// One declared param.
public struct ParamSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        case int, double, string, bool, list, map, any
        case oneOf([String])

        public var name: String {
            switch self {
            case .int: "int"
            case .double: "number"
            case .string: "string"
            case .bool: "bool"
            case .list: "list"
            case .map: "map"
            case .any: "any value"
            case .oneOf(let options): "one of " + options.joined(separator: ", ")
            }
        }

        /// Whether `value` fits; ints are accepted where numbers are expected.
        public func accepts(_ value: Value) -> Bool {
            switch (self, value) {
            case (.any, _), (.int, .int), (.double, .double), (.double, .int), (.string, .string),
                 (.bool, .bool), (.list, .list), (.map, .map): true
            case (.oneOf(let options), .string(let s)): options.contains(s)
            default: false
            }
        }
    }

    public var name: String
    public var kind: Kind
    /// nil means required.
    public var defaultValue: Value?
    /// The values a number may take (ints and numbers only); nil means any finite value.
    public var range: ClosedRange<Double>?
    /// False for params that cannot change outputs (e.g. a thread count): left out of the node key.
    public var affectsOutput: Bool
    /// The param is read only when one of these (param, value) pairs holds (e.g. a server's model name only
    /// with `backend: openai`); otherwise it is left out of the node key. Empty: always read.
    public var onlyWith: [(param: String, value: String)]
    public var doc: String

    public init(_ name: String, _ kind: Kind, default defaultValue: Value? = nil, range: ClosedRange<Double>? = nil,
                affectsOutput: Bool = true, onlyWith: [(param: String, value: String)] = [], doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.range = range
        self.affectsOutput = affectsOutput
        self.onlyWith = onlyWith
        self.doc = doc
    }

    /// Whether this param's value enters the key of a node with these params.
    public func entersKey(_ params: [String: Value]) -> Bool {
        affectsOutput && (onlyWith.isEmpty || onlyWith.contains { params[$0.param] == .string($0.value) })
    }

    /// Why `value` does not fit this param (its kind, finiteness, range), or nil if it does.
    public func problem(with value: Value) -> String? {
        guard kind.accepts(value) else { return "must be \(kind.name), found \(value.typeName) '\(value)'" }
        guard let number = value.doubleValue, kind == .int || kind == .double else { return nil }
        guard number.isFinite else { return "must be a finite number, found \(value)" }
        if let range, !range.contains(number) {
            if range.upperBound >= Double(Int.max) { return "must be ≥ \(Self.render(range.lowerBound)), found \(value)" }
            return "must lie in \(Self.render(range.lowerBound))…\(Self.render(range.upperBound)), found \(value)"
        }
        return nil
    }

    static func render(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : "\(bound)"
    }
}

/// A problem with a combination of params, reported at the named param's place in the workflow.
public struct ParamProblem: Sendable, Equatable {
    public var param: String
    public var message: String
    public init(param: String, _ message: String) {
        self.param = param
        self.message = message
    }
}

/// One declared input.
public struct InputSpec: Sendable {
    public var name: String
    public var required: Bool
    /// Whether the input takes a list of artifacts.
    public var multiple: Bool
    public var doc: String

    public init(_ name: String, required: Bool = true, multiple: Bool = false, doc: String) {
        self.name = name
        self.required = required
        self.multiple = multiple
        self.doc = doc
    }
}
