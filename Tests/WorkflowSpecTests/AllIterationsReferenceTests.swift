import Testing
import WorkflowSpec

@Suite struct AllIterationsReferenceTests {
    static let loop = """
    params:
      iterations: 3
    stages:
      eval0: {uses: eval}
      report:
        uses: report
        inputs:
          evals: [eval0, "eval@*"]
          kept: ["traces@*.kept"]
      improve:
        repeat: ${iterations}
        stages:
          traces: {uses: traces}
          eval: {uses: eval, inputs: {data: traces}}
    """

    func inputs(_ wf: ResolvedWorkflow, _ node: String, _ input: String) -> [String] {
        wf.nodes.first { $0.name == node }?.inputs[input]?.map(\.description) ?? []
    }

    @Test func starReadsEveryIterationInOrderAfterTheOtherReferences() throws {
        let wf = try load(["w.yaml": Self.loop])
        #expect(inputs(wf, "report", "evals") == ["eval0", "eval@1", "eval@2", "eval@3"])
        #expect(inputs(wf, "report", "kept") == ["traces@1.kept", "traces@2.kept", "traces@3.kept"])
    }

    @Test func starFollowsTheIterationCountAndTheGroupsStart() throws {
        #expect(inputs(try load(["w.yaml": Self.loop], set: ["iterations=5"]), "report", "evals")
                == ["eval0", "eval@1", "eval@2", "eval@3", "eval@4", "eval@5"])
        #expect(inputs(try load(["w.yaml": Self.loop], set: ["iterations=0"]), "report", "evals") == ["eval0"])
        let shifted = Self.loop.replacingOccurrences(of: "repeat: ${iterations}", with: "repeat: 2\n    from: 4")
        #expect(inputs(try load(["w.yaml": shifted]), "report", "evals") == ["eval0", "eval@4", "eval@5"])
    }

    @Test func starOnAStageThatRunsOnceIsAnErrorAtTheReference() {
        let found = errors(["w.yaml": Self.loop.replacingOccurrences(of: "\"eval@*\"", with: "\"eval0@*\"")])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("w.yaml:8:22: error: 'eval0@*' reads every iteration of 'eval0', which is not a stage of a repeat group") == true)
        #expect(found.first?.contains("hint: 'eval0' runs once: write `eval0`") == true)
    }

    @Test func starOnAnUnknownStageSuggestsARepeatedOne() {
        let found = errors(["w.yaml": Self.loop.replacingOccurrences(of: "\"traces@*.kept\"", with: "\"trace@*.kept\"")])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("w.yaml:9:14: error: 'trace@*.kept' reads every iteration of 'trace'") == true)
        #expect(found.first?.contains("did you mean 'traces'?") == true)
    }

    @Test func starOnItsOwnGroupInsideTheGroupIsAnError() {
        let found = errors(["w.yaml": Self.loop.replacingOccurrences(of: "inputs: {data: traces}", with: "inputs: {data: \"traces@*\"}")])
        // Reported once, although the stage is resolved once per iteration.
        #expect(found.count == 1)
        #expect(found.first?.contains("'traces@*' inside its own repeat group would read later iterations too") == true)
    }
}
