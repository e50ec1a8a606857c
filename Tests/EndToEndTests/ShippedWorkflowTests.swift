import Foundation
import Testing

/// Every workflow the project ships validates: parsed, expanded, params checked, graph built.
@Suite struct ShippedWorkflowTests {
    @Test(arguments: ["quickstart.yaml", "self-improve.yaml", "ablation-filtering.yaml", "examples/shell-pipeline.yaml",
                      "examples/served-model.yaml", "examples/vllm-trl.yaml"])
    func theShippedWorkflowValidatesWithADryRun(_ file: String) {
        let p = Project()
        let result = p.judgeflow("run", ServedModelTests.root + "/workflows/" + file, "--dry-run", "--store", p.directory + "/store")
        #expect(result.status == 0, "\(file): \(result.stderr)")
    }
}
