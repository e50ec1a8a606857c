import ArtifactStore
import Foundation
import NodeKit
import Testing
import WorkflowEngine
import WorkflowPlan
import WorkflowSpec

/// A node type that writes its `text` param (and its input's bytes) to its output, counting its runs.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [String] = []
    func add(_ name: String) { lock.withLock { runs.append(name) } }
    var names: [String] { lock.withLock { runs.sorted() } }
}

private struct EchoNode: NodeType {
    let counter: Counter
    let name = "echo"
    let implementationVersion = "1"
    let summary = "echo"
    let params = [ParamSpec("text", .string, default: .string(""), doc: "text")]
    let inputs = [InputSpec("in", required: false, doc: "input")]
    func outputs(params: [String: Value]) -> [String] { ["out"] }
    func run(_ context: NodeContext) throws {
        counter.add(context.nodeName)
        var bytes = Array(try context.params.string("text").utf8)
        if let input = context.inputs["in"]?.first { bytes += Array(FileManager.default.contents(atPath: input.path) ?? Data()) }
        try Data(bytes).write(to: URL(fileURLWithPath: context.outputPath("out")))
    }
}

private final class SilentReporter: ProgressReporter {
    func started(_ node: String, reasons: [String]) {}
    func progress(_ node: String, fraction: Double, note: String) {}
    func finished(_ node: String, outcome: NodeOutcome) {}
    func message(_ text: String) {}
}

/// The executor against an in-memory store: it runs what the shared decision says is stale, and after
/// a run the same decision finds everything up to date.
@Suite struct ExecutorTests {
    let yaml = "stages:\n  a: {uses: echo, with: {text: one}}\n  b: {uses: echo, inputs: {in: a}, with: {text: two}}\n"

    fileprivate func graph(_ counter: Counter, set: [String] = []) throws -> Graph {
        try GraphBuilder.build(WorkflowLoader(readFile: { _ in yaml }).load("w.yaml", overrides: set),
                               registry: NodeRegistry([EchoNode(counter: counter)]))
    }

    func run(_ g: Graph, _ store: MemoryStore) throws -> RunSummary {
        try Executor(graph: g, store: store, options: RunOptions(jobs: 2, threadsPerNode: 1), reporter: SilentReporter(),
                     workflowID: "w", workspace: MemoryWorkspace()).run()
    }

    @Test func whatRunsIsWhatTheDecisionCalledStaleAndThenNothingIs() throws {
        let store = MemoryStore(), counter = Counter()
        let g = try graph(counter)
        let first = try run(g, store)
        #expect(first.ran == 2 && first.succeeded)
        #expect(counter.names == ["a", "b"])
        let plan = try g.plan(cache: store, workspace: MemoryWorkspace(), previous: try store.workflowRecord(id: "w"))
        #expect(plan.allSatisfy { !$0.decision.mustRun })
        let again = try run(g, store)
        #expect(again.ran == 0 && again.cached == 2)
        let edited = try graph(counter, set: ["b.text=three"])
        let stale = try edited.plan(cache: store, workspace: MemoryWorkspace(), previous: try store.workflowRecord(id: "w"))
        #expect(stale.map(\.decision.mustRun) == [false, true])
        #expect(stale[1].decision.staleness.reasons == ["param text changed \"two\" → \"three\""])
        let rerun = try run(edited, store)
        #expect(rerun.ran == 1 && rerun.cached == 1)
        #expect(counter.names == ["a", "b", "b"])
        #expect(try store.read(store.manifest(for: stale[1].decision.key!)!.outputs["out"]!.digest) == Array("threeone".utf8))
    }
}
