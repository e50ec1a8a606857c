import ArtifactStore
import Foundation
import NodeKit
import WorkflowSpec

/// `FILE.lock`: a workflow resolved to its nodes (types, every param, edges) with each node's key and
/// output digests. It is canonical JSON, read back through the YAML reader so numbers keep their types;
/// `judgeflow run FILE.lock` rebuilds from it alone and compares every digest.
struct LockFile {
    static let formatVersion = 1
    var workflow: ResolvedWorkflow
    var keys: [String: Digest]
    var outputs: [String: [String: Digest]]

    func encoded() -> String {
        var lines = ["{\"formatVersion\":\(Self.formatVersion),",
                     "\"workflow\":" + Value.string(workflow.file).canonicalJSON + ",",
                     "\"params\":" + Value.map(workflow.params).canonicalJSON + ",", "\"nodes\":["]
        for (i, node) in workflow.nodes.enumerated() {
            let entry: [String: Value] = [
                "name": .string(node.name), "stage": .string(node.stageName), "type": .string(node.type),
                "params": .map(node.params.mapValues(\.value)),
                "inputs": .map(node.inputs.mapValues { .list($0.map { .string($0.description) }) }),
                "key": .string(keys[node.name]?.hex ?? ""),
                "outputs": .map((outputs[node.name] ?? [:]).mapValues { .string($0.hex) }),
            ]
            lines.append(Value.map(entry).canonicalJSON + (i + 1 < workflow.nodes.count ? "," : ""))
        }
        lines.append("]}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func read(_ path: String) throws(SpecError) -> LockFile {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SpecError(start, "cannot read lock file '\(path)'")
        }
        let tree = try YAMLReader.parse(text, file: path)
        var sink = DiagnosticSink()
        guard tree["formatVersion"]?.text == String(formatVersion), let nodeList = tree["nodes"]?.items else {
            throw SpecError(start, "'\(path)' is not a JudgeFlow lock file of format \(formatVersion)",
                            hint: "create it with `judgeflow lock WORKFLOW.yaml`")
        }
        var nodes: [ResolvedNode] = [], keys: [String: Digest] = [:], outputs: [String: [String: Digest]] = [:]
        for item in nodeList {
            guard let name = item["name"]?.text, let type = item["type"] else {
                sink.error(item.location, "lock entry lacks a name or type")
                continue
            }
            var params: [String: LocatedValue] = [:]
            for e in item["params"]?.entries ?? [] {
                params[e.key] = LocatedValue(Self.literal(e.value), at: e.value.location)
            }
            var inputs: [String: [Reference]] = [:]
            for e in item["inputs"]?.entries ?? [] {
                inputs[e.key] = (e.value.items ?? []).map { Reference(parsing: $0.text ?? "", at: $0.location) }
            }
            nodes.append(ResolvedNode(name: name, stageName: item["stage"]?.text ?? name, type: type.text ?? "",
                                      typeLocation: type.location, location: item.location, params: params, inputs: inputs))
            keys[name] = item["key"]?.text.flatMap { Digest(hex: $0) }
            var outs: [String: Digest] = [:]
            for e in item["outputs"]?.entries ?? [] { outs[e.key] = e.value.text.flatMap { Digest(hex: $0) } }
            outputs[name] = outs
        }
        try sink.check()
        let directory = (path as NSString).deletingLastPathComponent
        var params: [String: Value] = [:]
        for e in tree["params"]?.entries ?? [] { params[e.key] = literal(e.value) }
        let workflow = ResolvedWorkflow(file: path, directory: directory.isEmpty ? "." : directory, params: params, nodes: nodes)
        return LockFile(workflow: workflow, keys: keys, outputs: outputs)
    }

    /// Lock values were already interpolated: a `${` in them is literal text.
    static func literal(_ node: YAMLNode) -> Value {
        switch node.kind {
        case .scalar(let text, let plain): Value.typed(scalar: text, plain: plain)
        case .list(let items): .list(items.map { literal($0) })
        case .map(let entries): .map(Dictionary(entries.map { ($0.key, literal($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }
}
