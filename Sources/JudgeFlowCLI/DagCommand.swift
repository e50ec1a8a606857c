import NodeKit
import WorkflowPlan

/// `judgeflow dag FILE`: the DAG as text, Graphviz dot, Mermaid or JSON.
enum DagCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--format"], booleans: ["--json"])
        let graph = try CLI.loadGraph(try CLI.workflowPath(args), overrides: args.all("--set"), registry: registry)
        let edges = graph.order.flatMap { i in graph.nodes[i].dependencies.map { (graph.nodes[$0].name, graph.nodes[i].name) } }
        if args.flag("--json") {
            CLI.printJSON(["nodes": graph.order.map { i in
                ["name": graph.nodes[i].name, "type": graph.nodes[i].type.name,
                 "dependencies": graph.nodes[i].dependencies.map { graph.nodes[$0].name }] as [String: Any]
            }])
            return 0
        }
        switch args.value("--format") ?? "text" {
        case "text":
            for i in graph.order {
                let n = graph.nodes[i]
                let deps = n.dependencies.map { graph.nodes[$0].name }
                print("\(n.name) [\(n.type.name)]" + (deps.isEmpty ? "" : " ← " + deps.joined(separator: ", ")))
            }
        case "dot":
            print("digraph workflow {\n  rankdir=LR;")
            for i in graph.order { print("  \"\(graph.nodes[i].name)\" [label=\"\(graph.nodes[i].name)\\n\(graph.nodes[i].type.name)\"];") }
            for (a, b) in edges { print("  \"\(a)\" -> \"\(b)\";") }
            print("}")
        case "mermaid":
            print("flowchart LR")
            let id = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { (graph.nodes[$1].name, "n\($0)") })
            for i in graph.order { print("  \(id[graph.nodes[i].name]!)[\"\(graph.nodes[i].name)\"]") }
            for (a, b) in edges { print("  \(id[a]!) --> \(id[b]!)") }
        case let other:
            throw .usage("unknown --format '\(other)'; use text, dot or mermaid")
        }
        return 0
    }
}
