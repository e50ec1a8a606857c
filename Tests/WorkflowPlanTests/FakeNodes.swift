import NodeKit
import WorkflowSpec

/// A node type with a declared schema and no behaviour, for planning tests.
struct FakeNode: NodeType {
    var name: String
    var implementationVersion = "1"
    var summary = "fake"
    var params: [ParamSpec] = [
        ParamSpec("lr", .double, default: .double(0.1), doc: "learning rate"),
        ParamSpec("steps", .int, default: .int(10), doc: "steps"),
        ParamSpec("mode", .oneOf(["a", "b"]), default: .string("a"), doc: "mode"),
        ParamSpec("threads", .int, default: .int(1), affectsOutput: false, doc: "threads"),
    ]
    var inputs: [InputSpec] = [InputSpec("data", required: false, doc: "data")]
    func outputs(params: [String: Value]) -> [String] { ["model", "metrics"] }
    func run(_ context: NodeContext) throws {}
}

let fakeRegistry = try! NodeRegistry([FakeNode(name: "train"), FakeNode(name: "synth", inputs: [InputSpec("model", doc: "policy")])])

func graph(_ yaml: String, set: [String] = []) throws(SpecError) -> Graph {
    let workflow = try WorkflowLoader(readFile: { _ in yaml }).load("w.yaml", overrides: set)
    return try GraphBuilder.build(workflow, registry: fakeRegistry)
}

func planErrors(_ yaml: String) -> [String] {
    do {
        _ = try graph(yaml)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

import WorkflowPlan
