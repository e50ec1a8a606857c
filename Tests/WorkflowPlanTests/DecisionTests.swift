import ArtifactStore
import NodeKit
import Testing
import WorkflowPlan
import WorkflowSpec

/// The one staleness decision, driven with an in-memory store and workspace.
@Suite struct DecisionTests {
    let yaml = """
    stages:
      a: {uses: train, with: {lr: 0.2}}
      b: {uses: synth, inputs: {model: a.model}}
    """
    let run = RunRecord(started: 0, seconds: 0, exitStatus: 0, log: nil, params: "{}", inputs: [:], threads: 1)

    /// Stores outputs for node `i` under its key, as a finished execution would.
    func build(_ g: Graph, _ i: Int, _ store: MemoryStore, outputs: [Int: [String: OutputRef]]) throws -> [String: OutputRef] {
        let inputs = try g.keyInputs(i, outputs: outputs, workspace: MemoryWorkspace())
        var outs: [String: OutputRef] = [:]
        for name in g.nodes[i].outputs {
            let bytes = Array("\(g.nodes[i].name).\(name)".utf8)
            outs[name] = OutputRef(digest: try store.put(bytes), size: bytes.count, isTree: false)
        }
        try store.record(Manifest(key: inputs.key, node: g.nodes[i].name, type: "t", implementation: "1", outputs: outs, run: run))
        return outs
    }

    @Test func aNodeNeverRunIsStaleAndItsDependentsWait() throws {
        let g = try graph(yaml)
        let plan = try g.plan(cache: MemoryStore(), workspace: MemoryWorkspace(), previous: nil)
        #expect(plan[0].decision.staleness == .stale(["never run"]))
        #expect(plan[0].decision.key != nil)
        #expect(plan[1].decision.staleness == .waiting(upstream: ["a"], ownChanges: ["never run"]))
        #expect(plan[1].decision.key == nil)
    }

    @Test func aNodeWhoseKeyIsStoredIsUpToDateAndFeedsItsDependentsKeys() throws {
        let g = try graph(yaml)
        let store = MemoryStore()
        let a = try build(g, 0, store, outputs: [:])
        _ = try build(g, 1, store, outputs: [0: a])
        let plan = try g.plan(cache: store, workspace: MemoryWorkspace(), previous: nil)
        #expect(plan.allSatisfy { !$0.decision.mustRun })
        #expect(plan[1].decision.manifest?.outputs == ["model": OutputRef(digest: Digest.of("b.model"), size: 7, isTree: false),
                                                     "metrics": OutputRef(digest: Digest.of("b.metrics"), size: 9, isTree: false)])
    }

    @Test func aManifestMissingABlobIsStaleAndSaysWhy() throws {
        let g = try graph(yaml)
        let store = MemoryStore()
        let a = try build(g, 0, store, outputs: [:])
        store.drop(a["metrics"]!.digest)
        let record = try g.keyInputs(0, outputs: [:], workspace: MemoryWorkspace()).record
        let decision = try g.decide(0, outputs: [:], cache: store, workspace: MemoryWorkspace(), previous: { record })
        #expect(decision.staleness == .stale(["outputs missing from the store (removed by gc or quarantined)"]))
    }

    @Test func aChangedParamIsTheReasonAndForcingOverridesTheCache() throws {
        let g = try graph(yaml)
        let store = MemoryStore()
        _ = try build(g, 0, store, outputs: [:])
        let old = NodeRecord(key: Digest.of("old"), type: "train", implementation: "1",
                             params: ["lr": "0.1", "mode": "\"a\"", "steps": "10"], inputs: [:])
        let edited = try graph(yaml, set: ["a.lr=0.3"])
        let stale = try edited.decide(0, outputs: [:], cache: store, workspace: MemoryWorkspace(), previous: { old })
        #expect(stale.staleness == .stale(["param lr changed 0.1 → 0.3"]))
        let forced = try g.decide(0, outputs: [:], cache: store, workspace: MemoryWorkspace(), previous: { nil }, forced: true)
        #expect(forced.staleness == .stale(["forced"]))
    }

    @Test func theRecordOfTheLastRunIsReadOnlyWhenAReasonIsNeeded() throws {
        let g = try graph(yaml)
        let store = MemoryStore()
        _ = try build(g, 0, store, outputs: [:])
        var asked = 0
        _ = try g.decide(0, outputs: [:], cache: store, workspace: MemoryWorkspace(), previous: { asked += 1; return nil })
        #expect(asked == 0)
    }

    @Test func workspaceFilesThatDifferFromTheStoreAreListedForRestore() throws {
        let g = try GraphBuilder.build(try WorkflowLoader(readFile: { _ in
            "stages:\n  w: {uses: writer, with: {outs: [data.txt, other.txt]}}\n" }).load("w.yaml"),
            registry: try NodeRegistry([WriterNode()]))
        let store = MemoryStore()
        let inputs = try g.keyInputs(0, outputs: [:], workspace: MemoryWorkspace())
        let outs = ["data.txt": OutputRef(digest: try store.put(Array("new".utf8)), size: 3, isTree: false),
                    "other.txt": OutputRef(digest: try store.put(Array("same".utf8)), size: 4, isTree: false)]
        try store.record(Manifest(key: inputs.key, node: "w", type: "writer", implementation: "1", outputs: outs, run: run))
        let workspace = MemoryWorkspace(["data.txt": "edited", "other.txt": "same"])
        let decision = try g.decide(0, outputs: [:], cache: store, workspace: workspace, previous: { nil })
        #expect(decision.staleness == .upToDate)
        #expect(decision.restores == ["data.txt"])
    }
}

/// A node type that declares workspace outputs (like `shell` with `outs`).
struct WriterNode: NodeType {
    let name = "writer"
    let implementationVersion = "1"
    let summary = "writes workspace files"
    let params = [ParamSpec("outs", .list, default: .list([]), doc: "files written")]
    let inputs: [InputSpec] = []
    func outputs(params: [String: Value]) -> [String] { (params["outs"]?.listValue ?? []).map(\.description) }
    func workspaceFiles(params: [String: Value]) -> WorkspaceFiles {
        WorkspaceFiles(writes: (params["outs"]?.listValue ?? []).map(\.description))
    }
    func run(_ context: NodeContext) throws {}
}
