import ArtifactStore
import Testing
import WorkflowPlan
import WorkflowSpec

@Suite struct NodeKeyTests {
    func key(_ yaml: String, node: String = "a") throws -> Digest {
        let g = try graph(yaml)
        return try g.keyInputs(g.index(of: node)!, outputs: [:], workspace: MemoryWorkspace()).key
    }

    @Test func keyIgnoresFormattingKeyOrderAndComments() throws {
        let block = try key("stages:\n  a:\n    uses: train\n    with:\n      lr: 0.2\n      steps: 5\n")
        let flow = try key("# a comment\nstages: {a: {with: {steps: 5, lr: 0.2}, uses: train}}  # trailing\n")
        #expect(block == flow)
    }

    @Test func keyTreatsAnExplicitDefaultLikeAnOmittedParam() throws {
        #expect(try key("stages: {a: {uses: train}}") == key("stages: {a: {uses: train, with: {lr: 0.1}}}"))
    }

    @Test func keyIgnoresParamsThatCannotChangeOutputs() throws {
        #expect(try key("stages: {a: {uses: train, with: {threads: 8}}}") == key("stages: {a: {uses: train}}"))
    }

    @Test func keyChangesWithParamsAndImplementation() throws {
        let base = try key("stages: {a: {uses: train}}")
        #expect(try key("stages: {a: {uses: train, with: {lr: 0.2}}}") != base)
        let inputs = NodeKeyInputs(type: "train", implementation: "2", params: [:], inputs: [:], files: [:])
        let v1 = NodeKeyInputs(type: "train", implementation: "1", params: [:], inputs: [:], files: [:])
        #expect(inputs.key != v1.key)
    }

    @Test func stalenessNamesTheChangedParam() {
        let previous = NodeRecord(key: Digest.of("x"), type: "train", implementation: "1",
                                  params: ["lr": "0.1", "steps": "10"], inputs: ["data": Digest.of("d")])
        let now = NodeKeyInputs(type: "train", implementation: "1", params: ["lr": .double(0.2), "steps": .int(10)],
                                inputs: ["data": [Digest.of("e")]], files: [:])
        let reasons = StalenessExplainer.changes(now: now, type: "train", implementation: "1", params: now.params, previous: previous)
        #expect(reasons == ["param lr changed 0.1 → 0.2", "input data changed"])
        #expect(StalenessExplainer.changes(now: now, type: "train", implementation: "2", params: now.params, previous: previous)
            .first == "node type implementation changed 1 → 2")
        #expect(StalenessExplainer.changes(now: nil, type: "train", implementation: "1", params: [:], previous: nil) == ["never run"])
    }
}
