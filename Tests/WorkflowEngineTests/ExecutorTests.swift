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
    private var live = 0
    private(set) var mostThreadsAtOnce = 0
    var shares: [Int] = []
    func add(_ name: String) { lock.withLock { runs.append(name) } }
    var names: [String] { lock.withLock { runs.sorted() } }
    /// Holds `threads` for a moment, recording the most threads held by nodes at once.
    func hold(_ threads: Int) {
        lock.withLock {
            live += threads
            shares.append(threads)
            mostThreadsAtOnce = max(mostThreadsAtOnce, live)
        }
        usleep(30_000)
        lock.withLock { live -= threads }
    }
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
        counter.hold(context.threads)
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
                               registry: try NodeRegistry([EchoNode(counter: counter)]))
    }

    func run(_ g: Graph, _ store: MemoryStore) throws -> RunSummary {
        try Executor(graph: g, store: store, options: RunOptions(jobs: 2, threads: 2), reporter: SilentReporter(),
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

    @Test func nodesRunningAtOnceShareTheThreadBudget() throws {
        let counter = Counter()
        let wide = (1...5).map { "  n\($0): {uses: echo, with: {text: \"\($0)\"}}\n" }.joined()
        let g = try GraphBuilder.build(WorkflowLoader(readFile: { _ in "stages:\n" + wide }).load("w.yaml"),
                                       registry: try NodeRegistry([EchoNode(counter: counter)]))
        let summary = try Executor(graph: g, store: MemoryStore(), options: RunOptions(jobs: 8, threads: 3), reporter: SilentReporter(),
                                   workflowID: "w", workspace: MemoryWorkspace()).run()
        #expect(summary.ran == 5)
        #expect(counter.mostThreadsAtOnce <= 3)
        #expect(counter.shares.allSatisfy { $0 >= 1 })
        let lone = Counter()
        let single = try GraphBuilder.build(WorkflowLoader(readFile: { _ in "stages:\n  a: {uses: echo}\n" }).load("w.yaml"),
                                            registry: try NodeRegistry([EchoNode(counter: lone)]))
        _ = try Executor(graph: single, store: MemoryStore(), options: RunOptions(jobs: 8, threads: 3), reporter: SilentReporter(),
                         workflowID: "w", workspace: MemoryWorkspace()).run()
        #expect(lone.shares == [3])
    }
}
