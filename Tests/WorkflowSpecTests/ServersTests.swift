import NodeKit
import Testing
import WorkflowSpec

/// The workflow's `servers:`: a stage's `server: NAME` becomes the command it starts; mistakes are located.
@Suite struct ServersTests {
    @Test func aStagesServerNameBecomesItsCommandAndTimeout() throws {
        let workflow = try load(["w.yaml": """
            params:
              bin: /opt/llama/llama-server
            servers:
              llama: {command: "${bin} -m {model} --port {port}", ready_timeout: 90}
              vllm: "vllm serve {model} --port {port}"
            stages:
              a: {uses: judge.eval, with: {backend: openai, server: llama}}
              b: {uses: judge.eval, with: {backend: openai, server: vllm}}
            """])
        let a = try #require(workflow.nodes.first { $0.name == "a" }), b = try #require(workflow.nodes.first { $0.name == "b" })
        #expect(a.params["server_command"]?.value == .string("/opt/llama/llama-server -m {model} --port {port}"))
        #expect(a.params["server_timeout"]?.value == .double(90))
        #expect(b.params["server_command"]?.value == .string("vllm serve {model} --port {port}"))
        #expect(b.params["server_timeout"] == nil)
    }

    @Test func anUnknownServerOrACommandWithoutAPortIsALocatedError() {
        let found = errors(["w.yaml": """
            servers:
              llama: "llama-server -m {model}"
            stages:
              a: {uses: judge.eval, with: {server: lama}}
            """])
        #expect(found.contains { $0.hasPrefix("w.yaml:2:10: error: server 'llama': the command never names {port}") })
        #expect(found.contains { $0.hasPrefix("w.yaml:4:40: error: stage 'a' names server 'lama'") && $0.contains("did you mean 'llama'?") })
    }
}
