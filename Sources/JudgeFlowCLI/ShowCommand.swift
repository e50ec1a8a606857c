import ArtifactStore
import Foundation

/// `judgeflow show NODE`: what the node's latest recorded run used and produced.
enum ShowCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--workflow", "--store"], booleans: ["--json"], aliases: ["-f": "--workflow"])
        guard let name = args.positionals.first else { throw .usage("name a node: judgeflow show NODE") }
        let store = try CLI.openStore(args)
        let records: [(String, WorkflowRecord)]
        if let path = args.value("--workflow") {
            records = try CLI.workflowRecord(store, path: path).map { [("", $0)] } ?? []
        } else {
            records = try CLI.allWorkflowRecords(store).map { ($0.id, $0.record) }
        }
        guard let (_, record) = records.filter({ $0.1.nodes[name] != nil }).max(by: { $0.1.updated < $1.1.updated }),
              let node = record.nodes[name] else {
            throw .failed("no recorded run of a node named '\(name)' in \(store.root); run its workflow first")
        }
        let manifest = store.manifest(for: node.key)
        if args.flag("--json") {
            var d: [String: Any] = ["name": name, "workflow": record.workflow, "key": node.key.hex, "type": node.type,
                                    "implementation": node.implementation, "params": node.params,
                                    "inputs": node.inputs.mapValues(\.hex), "stored": manifest != nil]
            if let m = manifest {
                d["outputs"] = m.outputs.mapValues { ["digest": $0.digest.hex, "size": $0.size, "tree": $0.isTree] as [String: Any] }
                d["seconds"] = m.run.seconds
                d["started"] = m.run.started
                d["log"] = m.run.log.map { store.displayPath(of: $0) } ?? NSNull()
            }
            CLI.printJSON(d)
            return 0
        }
        var lines = ["node \(name)  (\(node.type) v\(node.implementation), workflow \(record.workflow))",
                     "key \(node.key.hex)", "params:"]
        lines += node.params.keys.sorted().map { "  \($0): \(node.params[$0]!)" }
        lines.append("inputs:")
        lines += node.inputs.keys.sorted().map { "  \($0): \(node.inputs[$0]!.hex)" }
        if let m = manifest {
            lines.append("outputs:")
            lines += m.outputs.keys.sorted().map { k in
                let o = m.outputs[k]!
                return "  \(k): \(o.digest.hex) (\(o.size) bytes\(o.isTree ? ", directory" : ""))"
            }
            lines.append(String(format: "ran for %.2fs at %@", m.run.seconds,
                                ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: m.run.started))))
            if let log = m.run.log { lines.append("log: \(store.displayPath(of: log))") }
        } else {
            lines.append("outputs: not in the store (never built, failed, or removed by gc)")
        }
        print(lines.joined(separator: "\n"))
        return 0
    }
}
