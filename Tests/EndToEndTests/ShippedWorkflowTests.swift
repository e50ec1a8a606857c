import Foundation
import Testing

/// Every workflow the project ships validates: parsed, expanded, params checked, graph built.
@Suite struct ShippedWorkflowTests {
    @Test(arguments: ["quickstart.yaml", "self-improve.yaml", "ablation-filtering.yaml", "examples/shell-pipeline.yaml",
                      "examples/served-model.yaml", "examples/vllm-trl.yaml", "examples/slurm-cluster.yaml"])
    func theShippedWorkflowValidatesWithADryRun(_ file: String) {
        let p = Project()
        let result = p.judgeflow("run", ServedModelTests.root + "/workflows/" + file, "--dry-run", "--store", p.directory + "/store")
        #expect(result.status == 0, "\(file): \(result.stderr)")
    }

    /// Where a node runs never enters its key: the cluster variant of the main job plans the same keys.
    @Test func theSlurmClusterExampleHasTheMainJobsKeys() throws {
        let p = Project()
        func keys(_ file: String) throws -> [String: String] {
            let result = p.judgeflow("status", ServedModelTests.root + "/workflows/" + file, "--json", "--store", p.directory + "/store")
            let nodes = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])["nodes"] as? [[String: Any]]
            return Dictionary(uniqueKeysWithValues: (nodes ?? []).compactMap { n in (n["name"] as? String).map { ($0, n["key"] as? String ?? "") } })
        }
        let cluster = try keys("examples/slurm-cluster.yaml"), main = try keys("self-improve.yaml")
        #expect(!main.isEmpty && cluster == main)
    }
}
