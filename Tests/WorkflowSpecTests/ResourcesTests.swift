import NodeKit
import Testing
import WorkflowSpec

/// `executor:` and `resources:`: a stage's own beat the workflow's defaults, and mistakes are located.
@Suite struct ResourcesTests {
    @Test func aStagesResourcesAreMergedOverTheWorkflowDefaultsAndItsExecutorKeptApart() throws {
        let workflow = try load(["w.yaml": """
            executor: slurm
            resources: {cpus: 2, memory: 4G, time: "30:00", sbatch_args: ["--qos=low"]}
            stages:
              a: {uses: shell, with: {cmd: "true"}}
              b:
                uses: shell
                executor: local
                resources: {gpus: 1, memory: 512M, partition: gpu, sbatch_args: ["--constraint=a100"]}
                with: {cmd: "true"}
            """])
        #expect(workflow.executor == "slurm")
        let a = try #require(workflow.nodes.first { $0.name == "a" }), b = try #require(workflow.nodes.first { $0.name == "b" })
        #expect(a.executor == nil && b.executor == "local")
        #expect(a.resources.cpus == 2 && a.resources.memoryMB == 4096 && a.resources.time == "30:00" && a.resources.gpus == nil)
        #expect(b.resources.cpus == 2 && b.resources.memoryMB == 512 && b.resources.gpus == 1 && b.resources.partition == "gpu")
        #expect(b.resources.sbatchArgs == ["--qos=low", "--constraint=a100"])
    }

    @Test func badResourcesAndUnknownExecutorsAreLocatedErrorsWithHints() {
        let found = errors(["w.yaml": """
            executor: slrum
            stages:
              a:
                uses: shell
                resources: {cpus: 0, memory: lots, time: "1:2:3:4", gpu: 1, sbatch_args: [qos]}
                with: {cmd: "true"}
            """])
        #expect(found.contains { $0.hasPrefix("w.yaml:1:11: error: unknown executor 'slrum'") && $0.contains("did you mean 'slurm'?") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:23: error: cpus must be a whole number ≥ 1") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:34: error: memory must be a size") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:46: error: time must be minutes") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:57: error: unknown resource 'gpu'") && $0.contains("did you mean 'gpus'?") })
        #expect(found.contains { $0.hasPrefix("w.yaml:5:78: error: sbatch_args is a list of sbatch options") })
    }
}
