import Testing
import WorkflowSpec

/// Loads workflows from an in-memory file table.
func load(_ files: [String: String], _ path: String = "w.yaml", set: [String] = []) throws(SpecError) -> ResolvedWorkflow {
    let table = files
    return try WorkflowLoader(readFile: { p in
        guard let text = table[p] else { throw CocoaLikeError.missing }
        return text
    }).load(path, overrides: set)
}

enum CocoaLikeError: Error { case missing }

func errors(_ files: [String: String], _ path: String = "w.yaml", set: [String] = []) -> [String] {
    do {
        _ = try load(files, path, set: set)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

@Suite struct WorkflowLoaderTests {
    static let loop = """
    params:
      iterations: 3
    stages:
      base:
        uses: train
        with: {lr: 0.1}
      improve:
        repeat: ${iterations}
        stages:
          traces:
            uses: judge
            inputs:
              model: judge@${i - 1}
          judge:
            uses: train
            with:
              lr: ${0.1 / i}
            inputs:
              data: traces
              init: judge@${i - 1}
        first:
          traces: {inputs: {model: base}}
          judge: {inputs: {init: base}}
    """

    @Test func repeatUnrollsWithABaseCaseForTheFirstIteration() throws {
        let wf = try load(["w.yaml": Self.loop])
        #expect(wf.nodes.map(\.name) == ["base", "traces@1", "judge@1", "traces@2", "judge@2", "traces@3", "judge@3"])
        let judge1 = try #require(wf.nodes.first { $0.name == "judge@1" })
        #expect(judge1.inputs["init"]?.first?.node == "base")
        #expect(judge1.inputs["data"]?.first?.node == "traces@1")
        let judge3 = try #require(wf.nodes.first { $0.name == "judge@3" })
        #expect(judge3.inputs["init"]?.first?.node == "judge@2")
        #expect(judge3.params["lr"]?.value == .double(0.1 / 3))
    }

    @Test func setOverridesParamsAndOneIterationOnly() throws {
        let wf = try load(["w.yaml": Self.loop], set: ["iterations=2", "judge@2.lr=0.5", "base.lr=1"])
        #expect(wf.nodes.count == 5)
        #expect(wf.nodes.first { $0.name == "judge@2" }?.params["lr"]?.value == .double(0.5))
        #expect(wf.nodes.first { $0.name == "judge@1" }?.params["lr"]?.value == .double(0.1))
        #expect(wf.nodes.first { $0.name == "base" }?.params["lr"]?.value == .int(1))
    }

    @Test func setOnAnUnknownTargetSuggestsTheName() {
        let found = errors(["w.yaml": Self.loop], set: ["iteration=2", "jugde.lr=1"])
        #expect(found.count == 2)
        #expect(found[0].contains("--set:1:1: error: --set iteration: no param 'iteration'"))
        #expect(found[0].contains("did you mean 'iterations'?"))
        #expect(found[1].contains("did you mean 'judge'?"))
    }

    @Test func extendsDeepMergesSoAnAblationIsAFewLines() throws {
        let wf = try load([
            "dir/base.yaml": Self.loop,
            "dir/ablation.yaml": "extends: base.yaml\nparams: {iterations: 1}\nstages:\n  base:\n    with: {lr: 0.3}\n",
        ], "dir/ablation.yaml")
        #expect(wf.nodes.map(\.name) == ["base", "traces@1", "judge@1"])
        #expect(wf.nodes[0].params["lr"]?.value == .double(0.3))
        #expect(wf.nodes[0].type == "train")
    }

    @Test func matrixVariantsShareTheirCommonUpstream() throws {
        let wf = try load(["w.yaml": """
        matrix:
          filter: [majority, correct]
        stages:
          base: {uses: train}
          pairs:
            uses: synth
            with: {filter: "${filter}"}
            inputs: {model: base}
          judge:
            uses: train
            inputs: {data: pairs}
        """])
        #expect(wf.nodes.map(\.name) == ["base", "pairs[filter=majority]", "pairs[filter=correct]",
                                         "judge[filter=majority]", "judge[filter=correct]"])
        #expect(wf.nodes[4].inputs["data"]?.first?.node == "pairs[filter=correct]")
    }

    @Test func everyErrorIsReportedAtOnceWithItsLocation() {
        let found = errors(["w.yaml": """
        stagse: {}
        stages:
          a:
            uses: shell
            wtih: {cmd: x}
          b:
            with: {x: "${nope}"}
        """])
        #expect(found.count >= 3)
        #expect(found.contains { $0.hasPrefix("w.yaml:1:1: error: unknown top-level key 'stagse'") && $0.contains("did you mean 'stages'?") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:5: error: unknown key 'wtih'") && $0.contains("did you mean 'with'?") })
        #expect(found.contains { $0.hasPrefix("w.yaml:6:3: error: stage 'b' has no `uses:`") })
    }

    @Test func xPrefixedTopLevelKeysHoldAnchorsThatStagesMerge() throws {
        let wf = try load(["w.yaml": """
        x-world: &world {max_objects: 3, shapes: 3}
        stages:
          a:
            uses: train
            with: {<<: *world, lr: 0.5}
        """])
        #expect(wf.nodes[0].params["max_objects"]?.value == .int(3))
        #expect(wf.nodes[0].params["shapes"]?.value == .int(3))
        #expect(wf.nodes[0].params["lr"]?.value == .double(0.5))
    }

    @Test func reservedCharactersInStageNamesAreRejected() {
        let found = errors(["w.yaml": """
        stages:
          x@1: {uses: a}
          g:
            repeat: 1
            stages:
              x: {uses: a}
        """])
        #expect(found.contains { $0.contains("stage name 'x@1' may use letters") })
    }

    @Test func extendsCycleIsAnError() {
        let found = errors(["a.yaml": "extends: b.yaml\nstages: {}\n", "b.yaml": "extends: a.yaml\nstages: {}\n"], "a.yaml")
        #expect(found.first?.contains("cycle") == true)
    }
}
