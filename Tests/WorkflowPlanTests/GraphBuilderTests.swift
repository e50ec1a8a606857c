import NodeKit
import Testing
import WorkflowPlan
import WorkflowSpec

@Suite struct GraphBuilderTests {
    @Test func unknownTypeAndParamSuggestTheClosestName() {
        let found = planErrors("""
        stages:
          a: {uses: trian}
          b:
            uses: train
            with: {lrr: 0.2}
        """)
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("w.yaml:2:13: error: unknown node type 'trian'") && found[0].contains("did you mean 'train'?"))
        #expect(found[1].hasPrefix("w.yaml:5:12: error: node type 'train' has no param 'lrr'") && found[1].contains("did you mean 'lr'?"))
    }

    @Test func wrongParamTypeNamesTheExpectedType() {
        let found = planErrors("stages:\n  a:\n    uses: train\n    with: {steps: many, mode: c}\n")
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("param 'steps' of 'a' must be int, found string 'many'") })
        #expect(found.contains { $0.contains("param 'mode' of 'a' must be one of a, b") })
    }

    @Test func missingInputAndUnknownReferenceAreReported() {
        let found = planErrors("""
        stages:
          a: {uses: synth}
          b:
            uses: train
            inputs: {data: c.model}
          d:
            uses: train
            inputs: {data: b}
        """)
        #expect(found.contains { $0.hasPrefix("w.yaml:2:3: error: stage 'a' lacks the required input 'model'") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:20: error: 'c.model' refers to no node named 'c'") })
        #expect(found.contains { $0.contains("node 'b' has several outputs; name one") && $0.contains("b.model") })
    }

    @Test func missingRequiredParamAndUnknownInputAreReported() {
        let registry = try! NodeRegistry([FakeNode(name: "train", params: [ParamSpec("cmd", .string, doc: "what to run")])])
        let workflow = try! WorkflowLoader(readFile: { _ in "stages:\n  a:\n    uses: train\n    inputs: {dat: a}\n" }).load("w.yaml")
        do {
            _ = try GraphBuilder.build(workflow, registry: registry)
            Issue.record("expected errors")
        } catch {
            let found = error.diagnostics.map(\.description)
            #expect(found.contains { $0.hasPrefix("w.yaml:4:19: error: node type 'train' has no input 'dat'") && $0.contains("did you mean 'data'?") })
            #expect(found.contains { $0.hasPrefix("w.yaml:2:3: error: stage 'a' lacks the required param 'cmd'") })
        }
    }

    @Test func cycleIsPrintedAsAPath() {
        let found = planErrors("""
        stages:
          a: {uses: train, inputs: {data: c.model}}
          b: {uses: train, inputs: {data: a.model}}
          c: {uses: train, inputs: {data: b.model}}
        """)
        #expect(found.count == 1)
        #expect(found[0].contains("the stages form a cycle: a → b → c → a") || found[0].contains("cycle: c → a → b → c")
                || found[0].contains("cycle: b → c → a → b"))
    }

    @Test func orderPutsDependenciesFirst() throws {
        let g = try graph("""
        stages:
          late: {uses: train, inputs: {data: early.model}}
          early: {uses: train}
        """)
        #expect(g.order.map { g.nodes[$0].name } == ["early", "late"])
        #expect(g.downstreamCone(of: g.index(of: "early")!).count == 2)
    }
}

@Suite struct NodeRegistryTests {
    @Test func twoNodeTypesOfOneNameAreAnError() {
        #expect(throws: NodeRegistry.DuplicateName.self) { try NodeRegistry([FakeNode(name: "train"), FakeNode(name: "train")]) }
    }
}
