import Foundation
import ModelBackend
import NodeKit
import Testing
@testable import JudgeStages

/// Error injection by prompting an OpenAI-compatible backend (the paper's way), against a fake server.
@Suite struct ModelInjectorTests {
    @Test func chatClientSendsTheModelAndMessagesAndReadsTheFirstChoice() throws {
        let server = FakeChatServer { _ in "hello" }
        let client = try ChatClient(baseURL: server.baseURL, model: "tiny-vlm", apiKey: nil)
        #expect(try client.complete([ChatMessage(role: "user", content: "hi")]) == "hello")
        let request = try #require(server.requests.first)
        #expect(request["model"] as? String == "tiny-vlm")
        #expect((request["messages"] as? [[String: Any]])?.first?["content"] as? String == "hi")
    }

    @Test func anUnreachableOrMalformedBackendIsAnErrorNotACrash() throws {
        #expect(throws: BackendError.self) { try ChatClient(baseURL: "not a url", model: "m") }
        let client = try ChatClient(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKey: nil)
        #expect(throws: BackendError.self) { try client.complete([ChatMessage(role: "user", content: "hi")]) }
    }

    @Test func repliesThatMakeNoErrorAreRejected() {
        #expect(ModelInjector.accept("  \"a small blue circle in row 1 column 1 .\"\n", original: "a small red circle in row 1 column 1 .")
                == "a small blue circle in row 1 column 1 .")
        #expect(ModelInjector.accept("a small red circle in row 1 column 1 .", original: "a small red circle in row 1 column 1 .") == nil)
        #expect(ModelInjector.accept("  ", original: "x") == nil)
        #expect(ModelInjector.prompt(question: "q", answer: "a", kind: .omission).last?.content.contains("leave out one object") == true)
    }

    @Test func pairsOpenWithTheModelInjectorUsesTheBackendsRewrites() throws {
        let server = FakeChatServer { json in
            let user = ((json["messages"] as? [[String: Any]])?.last?["content"] as? String) ?? ""
            let answer = user.split(separator: "\n").first { $0.hasPrefix("Answer: ") }.map { String($0.dropFirst(8)) } ?? ""
            return answer + " extra"
        }
        let harness = NodeHarness()
        let model = try harness.run(PretrainNode(), ["steps": .int(1), "scenes": .int(4), "d": .int(16), "layers": .int(1), "heads": .int(2),
                                                     "max_text": .int(96), "max_objects": .int(2)]) + "/model"
        let out = try harness.run(OpenPairsNode(), ["count": .int(3), "max_objects": .int(2), "injector": .string("model"),
                                                    "endpoint": .string(server.baseURL), "backend_model": .string("judge-llm")],
                                  inputs: ["policy": [model]])
        let lines = try String(contentsOfFile: out + "/pairs/pairs.jsonl", encoding: .utf8).split(separator: "\n")
        let pairs = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(!pairs.isEmpty && pairs.count == server.requests.count)
        for pair in pairs {
            #expect(pair["rejected"] as? String == (pair["preferred"] as? String ?? "") + " extra")
            #expect((pair["source"] as? String)?.hasPrefix("model-injected:") == true)
        }
        #expect(server.requests.allSatisfy { $0["model"] as? String == "judge-llm" })
    }
}
