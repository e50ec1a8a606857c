import ArtifactStore
import WorkflowSpec

/// A node's identity: SHA-256 over one canonical text of its type, implementation version, the params
/// that affect its output (canonical JSON: key order, YAML formatting and comments never matter), the
/// digests of the artifacts it reads and the digests of the workspace files it reads. The lock file
/// records these same inputs.
public struct NodeKeyInputs: Sendable, Equatable {
    public let type: String
    public let implementation: String
    public let params: [String: Value]
    /// Input name → digests of its artifacts, in order.
    public let inputs: [String: [Digest]]
    /// Workspace path → digest.
    public let files: [String: Digest]
    /// SHA-256 of `canonicalText`, computed once.
    public let key: Digest

    public init(type: String, implementation: String, params: [String: Value], inputs: [String: [Digest]],
                files: [String: Digest]) {
        self.type = type
        self.implementation = implementation
        self.params = params
        self.inputs = inputs
        self.files = files
        self.key = Digest.of(Self.canonicalText(type: type, implementation: implementation, params: params, inputs: inputs, files: files))
    }

    public var canonicalText: String {
        Self.canonicalText(type: type, implementation: implementation, params: params, inputs: inputs, files: files)
    }

    static func canonicalText(type: String, implementation: String, params: [String: Value], inputs: [String: [Digest]],
                              files: [String: Digest]) -> String {
        var text = "judgeflow-node-key/1\ntype \(type)\nimplementation \(implementation)\n"
        text += "params \(Value.map(params).canonicalJSON)\n"
        for name in inputs.keys.sorted() {
            text += "input \(name) " + inputs[name]!.map(\.hex).joined(separator: ",") + "\n"
        }
        for path in files.keys.sorted() { text += "file \(path) \(files[path]!.hex)\n" }
        return text
    }

    /// The flattened form kept in workflow records: every input and file by one name.
    public var recordedInputs: [String: Digest] {
        var out: [String: Digest] = [:]
        for (name, digests) in inputs {
            for (i, d) in digests.enumerated() { out[digests.count == 1 ? name : "\(name)[\(i)]"] = d }
        }
        for (path, d) in files { out["file:" + path] = d }
        return out
    }
}
