import NodeKit
import Testing
import WorkflowPlan
import WorkflowSpec

/// A node type whose params have ranges, a cross-param rule and workspace outputs.
private struct RangedNode: NodeType {
    let name = "ranged"
    let implementationVersion = "1"
    let summary = "ranged"
    let params: [ParamSpec] = [
        ParamSpec("seed", .int, default: .int(1), range: 0...Double(Int.max), doc: "a seed"),
        ParamSpec("lr", .double, default: .double(0.1), range: 0...10, doc: "learning rate"),
        ParamSpec("least", .int, default: .int(1), range: 1...100, doc: "fewest"),
        ParamSpec("most", .int, default: .int(4), range: 1...100, doc: "most"),
        ParamSpec("outs", .list, default: .list([]), doc: "workspace files written"),
    ]
    let inputs: [InputSpec] = []
    func outputs(params: [String: Value]) -> [String] { ["out"] }
    func workspaceFiles(params: [String: Value]) -> WorkspaceFiles {
        WorkspaceFiles(writes: (params["outs"]?.listValue ?? []).map(\.description))
    }
    func problems(params: [String: Value]) -> [ParamProblem] {
        guard let least = params["least"]?.intValue, let most = params["most"]?.intValue, least > most else { return [] }
        return [ParamProblem(param: "least", "\(least) is more than most \(most)")]
    }
    func run(_ context: NodeContext) throws {}
}

@Suite struct ParamCheckTests {
    let registry = try! NodeRegistry([RangedNode()])

    func problems(_ yaml: String) -> [String] {
        do {
            let workflow = try WorkflowLoader(readFile: { _ in yaml }).load("w.yaml")
            _ = try GraphBuilder.build(workflow, registry: registry)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func outOfRangeParamsAreLocatedErrorsBeforeAnythingRuns() {
        let found = problems("stages:\n  a: {uses: ranged, with: {seed: -1, lr: 20}}\n")
        #expect(found.contains { $0.hasPrefix("w.yaml:2:34: error: param 'seed' of 'a' must be ≥ 0, found -1") })
        #expect(found.contains { $0.hasPrefix("w.yaml:2:42: error: param 'lr' of 'a' must lie in 0…10, found 20") })
    }

    @Test func aCrossParamProblemIsReportedAtItsParam() {
        let found = problems("stages:\n  a:\n    uses: ranged\n    with:\n      least: 9\n      most: 3\n")
        #expect(found == ["w.yaml:5:14: error: param 'least' of 'a': 9 is more than most 3\n    hint: fewest"])
    }

    @Test(arguments: ["../escaped.txt", "/tmp/abs", "a/../../b"])
    func outputsOutsideTheWorkflowDirectoryAreRejected(_ path: String) {
        let found = problems("stages:\n  a: {uses: ranged, with: {outs: [\"\(path)\"]}}\n")
        #expect(found.first?.contains("'\(path)' would be written outside the workflow's directory") == true)
    }

    @Test func outputsInsideTheWorkflowDirectoryAreFine() {
        #expect(problems("stages:\n  a: {uses: ranged, with: {outs: [out/model.bin, ./x]}}\n").isEmpty)
    }

    @Test func specsRejectNonFiniteNumbers() {
        let spec = ParamSpec("lr", .double, doc: "lr")
        #expect(spec.problem(with: .double(.nan))?.contains("finite") == true)
        #expect(spec.problem(with: .double(.infinity))?.contains("finite") == true)
        #expect(spec.problem(with: .double(0.5)) == nil)
    }
}
