import Foundation
import ChatServerFixture
import ModelBackend
import NodeKit
import Testing
@testable import JudgeStages

/// Error injection by prompting an OpenAI-compatible backend (the paper's way), against a loopback server.
@Suite struct ModelInjectorTests {
    @Test func repliesThatMakeNoErrorAreRejected() {
        #expect(ModelInjector.accept("  \"a small blue circle in row 1 column 1 .\"\n", original: "a small red circle in row 1 column 1 .")
                == "a small blue circle in row 1 column 1 .")
        #expect(ModelInjector.accept("a small red circle in row 1 column 1 .", original: "a small red circle in row 1 column 1 .") == nil)
        #expect(ModelInjector.accept("  ", original: "x") == nil)
        #expect(ModelInjector.prompt(question: "q", answer: "a", kind: .omission).last?.text.contains("leave out one object") == true)
    }

    @Test func pairsOpenWithTheModelInjectorUsesTheBackendsRewrites() throws {
        let server = LoopbackChatServer { json in
            let user = ((json["messages"] as? [[String: Any]])?.last?["content"] as? String) ?? ""
            let answer = user.split(separator: "\n").first { $0.hasPrefix("Answer: ") }.map { String($0.dropFirst(8)) } ?? ""
            return answer + " extra"
        }
        let harness = NodeHarness()
        let model = try harness.run(PretrainNode(), ["steps": .int(1), "scenes": .int(4), "d": .int(16), "layers": .int(1), "heads": .int(2),
                                                     "max_text": .int(96), "max_objects": .int(2)]) + "/model"
        let out = try harness.run(OpenPairsNode(), ["count": .int(3), "max_objects": .int(2), "injector": .string("model"),
                                                    "endpoint": .string(server.baseURL), "model": .string("judge-llm")],
                                  inputs: ["policy": [model]])
        let lines = try String(contentsOfFile: out + "/pairs/pairs.jsonl", encoding: .utf8).split(separator: "\n")
        let pairs = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(!pairs.isEmpty && pairs.count == server.requests.count)
        for pair in pairs {
            #expect(pair["rejected"] as? String == (pair["preferred"] as? String ?? "") + " extra")
            #expect((pair["source"] as? String)?.hasPrefix("model-injected:") == true)
        }
        #expect(server.requests.allSatisfy { $0.json["model"] as? String == "judge-llm" })
    }
}
