import ArtifactStore
import Foundation
import NodeKit
import WorkflowPlan
import WorkflowSpec

/// `judgeflow status FILE`: every stale node and why, as `Graph.decide` decides it for `run` too.
enum StatusCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--store"], booleans: ["--json"])
        let path = try CLI.workflowPath(args)
        let graph = try CLI.loadGraph(path, overrides: args.all("--set"), registry: registry)
        let store = try CLI.openStore(args)
        return try report(graph: graph, store: store, id: ArtifactStore.workflowID(for: path), json: args.flag("--json"), verb: "stale")
    }

    static func report(graph: Graph, store: ArtifactStore, id: String, json: Bool, verb: String) throws(CLIError) -> Int32 {
        let entries = try CLI.plan(graph, store: store, id: id)
        let stale = entries.filter { $0.decision.mustRun }
        if json {
            CLI.printJSON([
                "workflow": graph.workflow.file,
                "nodes": entries.map { (name, e) -> [String: Any] in
                    var d: [String: Any] = ["name": name, "reasons": e.staleness.reasons]
                    switch e.staleness {
                    case .upToDate: d["state"] = "up-to-date"
                    case .stale: d["state"] = "stale"
                    case .waiting: d["state"] = "waiting"
                    }
                    if let k = e.key { d["key"] = k.hex }
                    if !e.restores.isEmpty { d["restores"] = e.restores }
                    return d
                },
                "stale": stale.count, "upToDate": entries.count - stale.count,
            ])
            return 0
        }
        var lines: [String] = []
        for (name, e) in stale { lines.append("\(verb): \(name)\n    " + e.staleness.reasons.joined(separator: "\n    ")) }
        for (name, e) in entries where !e.restores.isEmpty { lines.append("restore: \(name) (\(e.restores.joined(separator: ", ")))") }
        lines.append(stale.isEmpty ? "everything is up to date (\(entries.count) nodes)"
                                   : "\(stale.count) of \(entries.count) nodes \(verb == "stale" ? "are stale" : "would run")")
        print(lines.joined(separator: "\n"))
        return 0
    }
}
