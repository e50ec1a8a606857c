import Foundation
import JSONText
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
    /// `digest(workflow:nodes:)` of this record; first in the encoded record (keys are sorted).
    public var digest: String?
    public var formatVersion: Int = 1
    public var workflow: String
    public var updated: Double
    public var nodes: [String: NodeRecord]

    /// SHA-256 of the workflow path and every node's name and key, in name order.
    public static func digest(workflow: String, keys: [String: Digest]) -> Digest {
        var text = workflow + "\n"
        for name in keys.keys.sorted() { text += name + "\t" + keys[name]!.hex + "\n" }
        return Digest.of(text)
    }

    /// How many bytes of an encoded record `storedDigest(in:)` needs.
    static let storedDigestPrefix = "{\"digest\":\"".utf8.count + 65

    /// The `digest` an encoded record starts with, read without decoding the record.
    static func storedDigest(in bytes: [UInt8]) -> String? {
        let marker = Array("{\"digest\":\"".utf8)
        guard bytes.count >= marker.count + 64, bytes.starts(with: marker) else { return nil }
        let hex = bytes[marker.count..<(marker.count + 64)]
        guard bytes.count > marker.count + 64, bytes[marker.count + 64] == UInt8(ascii: "\"") else { return nil }
        return String(decoding: hex, as: UTF8.self)
    }

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

extension Manifest {
    /// A manifest from its stored bytes: `JSONReader` for the common case, `JSONDecoder` for whatever it
    /// does not take. Both read the same fields with the same rules (unknown keys ignored, optional ones
    /// absent or null), which a test checks on random manifests.
    static func read(_ bytes: [UInt8]) -> Manifest? {
        if let value = JSONValue.parse(bytes), let manifest = Manifest(json: value) { return manifest }
        return try? JSONDecoder().decode(Manifest.self, from: Data(bytes))
    }

    init?(json v: JSONValue) {
        guard let format = v["formatVersion"]?.int, let key = v["key"]?.string.flatMap(Digest.init(hex:)),
              let node = v["node"]?.string, let type = v["type"]?.string, let implementation = v["implementation"]?.string,
              let outputFields = v["outputs"]?.fields, let runValue = v["run"], let run = RunRecord(json: runValue) else { return nil }
        var outputs: [String: OutputRef] = [:]
        for (name, o) in outputFields {
            guard let digest = o["digest"]?.string.flatMap(Digest.init(hex:)), let size = o["size"]?.int,
                  let isTree = o["isTree"]?.bool else { return nil }
            outputs[name] = OutputRef(digest: digest, size: size, isTree: isTree)
        }
        self.init(key: key, node: node, type: type, implementation: implementation, outputs: outputs, run: run)
        formatVersion = format
    }
}

extension RunRecord {
    init?(json v: JSONValue) {
        guard let started = v["started"]?.double, let seconds = v["seconds"]?.double,
              let exit = v["exitStatus"]?.int, let exitStatus = Int32(exactly: exit),
              let params = v["params"]?.string, let inputFields = v["inputs"]?.fields, let threads = v["threads"]?.int else { return nil }
        var inputs: [String: Digest] = [:]
        for (name, d) in inputFields {
            guard let digest = d.string.flatMap(Digest.init(hex:)) else { return nil }
            inputs[name] = digest
        }
        /// An optional field: absent or null is nil; any other type is not this reader's to judge.
        func optional<T>(_ name: String, _ read: (JSONValue) -> T?) -> T?? {
            guard let field = v[name] else { return .some(nil) }
            if case .null = field { return .some(nil) }
            return read(field).map { .some($0) } ?? nil
        }
        guard let log = optional("log", { $0.string.flatMap(Digest.init(hex:)) }), let executor = optional("executor", { $0.string }),
              let job = optional("job", { $0.string }), let host = optional("host", { $0.string }) else { return nil }
        self.init(started: started, seconds: seconds, exitStatus: exitStatus, log: log, params: params, inputs: inputs, threads: threads)
        self.executor = executor
        self.job = job
        self.host = host
    }
}

extension WorkflowRecord {
    /// A record from its stored bytes, as `Manifest.read` reads a manifest (`status` reads one of
    /// thousands of nodes on every call); nil if neither reader takes it.
    static func read(_ bytes: [UInt8]) -> WorkflowRecord? {
        if let value = JSONValue.parse(bytes), let record = WorkflowRecord(json: value) { return record }
        return try? JSONDecoder().decode(WorkflowRecord.self, from: Data(bytes))
    }

    init?(json v: JSONValue) {
        guard let format = v["formatVersion"]?.int, let workflow = v["workflow"]?.string, let updated = v["updated"]?.double,
              let nodeFields = v["nodes"]?.fields else { return nil }
        var digest: String?
        if let field = v["digest"], !{ if case .null = field { true } else { false } }() {
            guard let text = field.string else { return nil }
            digest = text
        }
        var nodes: [String: NodeRecord] = [:]
        for (name, n) in nodeFields {
            guard let key = n["key"]?.string.flatMap(Digest.init(hex:)), let type = n["type"]?.string,
                  let implementation = n["implementation"]?.string, let paramFields = n["params"]?.fields,
                  let inputFields = n["inputs"]?.fields else { return nil }
            var params: [String: String] = [:]
            for (p, value) in paramFields {
                guard let text = value.string else { return nil }
                params[p] = text
            }
            var inputs: [String: Digest] = [:]
            for (i, value) in inputFields {
                guard let d = value.string.flatMap(Digest.init(hex:)) else { return nil }
                inputs[i] = d
            }
            nodes[name] = NodeRecord(key: key, type: type, implementation: implementation, params: params, inputs: inputs)
        }
        self.init(workflow: workflow, updated: updated, nodes: nodes)
        self.digest = digest
        formatVersion = format
    }
}
