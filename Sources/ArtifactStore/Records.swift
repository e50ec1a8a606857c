/// The store's on-disk records. Every one carries `formatVersion` so a later JudgeFlow can read or
/// reject an old store knowingly.

/// What a node produced under one key: the action-cache entry (Bazel's ActionResult).
public struct Manifest: Codable, Sendable, Equatable {
    public static let currentFormat = 1
    public var formatVersion: Int = Manifest.currentFormat
    public var key: Digest
    public var node: String
    public var type: String
    public var implementation: String
    public var outputs: [String: OutputRef]
    public var run: RunRecord

    public init(key: Digest, node: String, type: String, implementation: String,
                outputs: [String: OutputRef], run: RunRecord) {
        self.key = key
        self.node = node
        self.type = type
        self.implementation = implementation
        self.outputs = outputs
        self.run = run
    }
}

/// One output: a file blob, or a tree blob listing a directory's files.
public struct OutputRef: Codable, Sendable, Hashable {
    public var digest: Digest
    public var size: Int
    public var isTree: Bool
    public init(digest: Digest, size: Int, isTree: Bool) {
        self.digest = digest
        self.size = size
        self.isTree = isTree
    }
}

/// How a node's execution went: kept with its manifest and shown by `judgeflow show`.
public struct RunRecord: Codable, Sendable, Equatable {
    public var started: Double
    public var seconds: Double
    public var exitStatus: Int32
    public var log: Digest?
    /// Canonical JSON of the params that entered the key.
    public var params: String
    /// Input name → digest of the artifact read.
    public var inputs: [String: Digest]
    public var threads: Int
    /// `slurm` when a batch job built it (absent: the local executor), its job id, and the host it ran on.
    public var executor: String?
    public var job: String?
    public var host: String?

    public init(started: Double, seconds: Double, exitStatus: Int32, log: Digest?, params: String,
                inputs: [String: Digest], threads: Int) {
        self.started = started
        self.seconds = seconds
        self.exitStatus = exitStatus
        self.log = log
        self.params = params
        self.inputs = inputs
        self.threads = threads
    }
}

/// A directory output: its files by relative path.
public struct Tree: Codable, Sendable, Equatable {
    public var formatVersion: Int = 1
    public var entries: [Entry]

    public struct Entry: Codable, Sendable, Equatable {
        public var path: String
        public var digest: Digest
        public var size: Int
        public var executable: Bool
    }
}

/// The latest run of one workflow: what each node's key was built from. `status` compares against it
/// to explain staleness, and `gc` keeps everything it references.
public struct WorkflowRecord: Codable, Sendable, Equatable {
    public var formatVersion: Int = 1
    public var workflow: String
    public var updated: Double
    public var nodes: [String: NodeRecord]

    public init(workflow: String, updated: Double, nodes: [String: NodeRecord]) {
        self.workflow = workflow
        self.updated = updated
        self.nodes = nodes
    }
}

public struct NodeRecord: Codable, Sendable, Equatable {
    public var key: Digest
    public var type: String
    public var implementation: String
    /// Param name → canonical JSON of its value.
    public var params: [String: String]
    /// Input or file name → digest.
    public var inputs: [String: Digest]

    public init(key: Digest, type: String, implementation: String, params: [String: String], inputs: [String: Digest]) {
        self.key = key
        self.type = type
        self.implementation = implementation
        self.params = params
        self.inputs = inputs
    }
}
