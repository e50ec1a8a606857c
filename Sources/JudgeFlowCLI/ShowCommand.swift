import ArtifactStore
import Foundation

/// `judgeflow show NODE`: what the node's latest recorded run used and produced.
enum ShowCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--workflow", "--store"], booleans: ["--json"], aliases: ["-f": "--workflow"])
        guard let name = args.positionals.first else { throw .usage("name a node: judgeflow show NODE") }
        let store = try CLI.openStore(args)
        let (record, node) = try latestRun(of: name, store: store, workflow: args.value("--workflow"))
        let manifest = store.manifest(for: node.key)
        if args.flag("--json") {
            var d: [String: Any] = ["name": name, "workflow": record.workflow, "key": node.key.hex, "type": node.type,
                                    "implementation": node.implementation, "params": node.params,
                                    "inputs": node.inputs.mapValues(\.hex), "stored": manifest != nil]
            if let m = manifest {
                d["outputs"] = m.outputs.mapValues { o -> [String: Any] in
                    var out: [String: Any] = ["digest": o.digest.hex, "size": o.size, "tree": o.isTree]
                    if !o.isTree { out["path"] = store.displayPath(of: o.digest) }
                    return out
                }
                d["seconds"] = m.run.seconds
                d["started"] = m.run.started
                d["log"] = m.run.log.map { store.displayPath(of: $0) } ?? NSNull()
                d["executor"] = m.run.executor ?? "local"
                d["job"] = m.run.job ?? NSNull()
                d["host"] = m.run.host ?? NSNull()
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
            for (k, o) in m.outputs.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(k): \(o.digest.hex) (\(o.size) bytes\(o.isTree ? ", directory" : ""))")
                lines.append(o.isTree ? "    files: judgeflow export \(name).\(k) DIR" : "    path: \(store.displayPath(of: o.digest))")
            }
            lines.append(String(format: "ran for %.2fs at %@", m.run.seconds,
                                ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: m.run.started))))
            if let job = m.run.job {
                lines.append("executor: \(m.run.executor ?? "local"), job \(job)" + (m.run.host.map { " on \($0)" } ?? ""))
            }
            if let log = m.run.log { lines.append("log: \(store.displayPath(of: log))") }
        } else {
            lines.append("outputs: not in the store (never built, failed, or removed by gc)")
        }
        print(lines.joined(separator: "\n"))
        return 0
    }

    /// The node's record in the latest run that has it: of `workflow` when given, else of any workflow.
    static func latestRun(of name: String, store: ArtifactStore, workflow: String?) throws(CLIError) -> (WorkflowRecord, NodeRecord) {
        let records: [WorkflowRecord]
        if let path = workflow {
            records = try CLI.workflowRecord(store, path: path).map { [$0] } ?? []
        } else {
            records = try CLI.allWorkflowRecords(store).map(\.record)
        }
        guard let record = records.filter({ $0.nodes[name] != nil }).max(by: { $0.updated < $1.updated }),
              let node = record.nodes[name] else {
            throw .failed("no recorded run of a node named '\(name)' in \(store.root); run its workflow first")
        }
        return (record, node)
    }
}
