import ChatServerFixture
import Foundation
import JudgeEval
import ModelBackend
import NodeKit
import SyntheticWorld
import Testing
@testable import JudgeStages

/// Model-facing node types with `backend: openai`, against a loopback server: what they send (images,
/// `n`, seeds, constraints) and how they read what comes back (verdicts, logprobs, normalised answers).
@Suite struct ServedModelNodeTests {
    static func served(_ server: LoopbackChatServer, _ extra: [String: Value] = [:]) -> [String: Value] {
        ["backend": .string("openai"), "endpoint": .string(server.baseURL), "model": .string("tiny-test"), "backoff": .double(0.01)]
            .merging(extra) { $1 }
    }

    /// The text parts of a request's last message.
    static func prompt(_ json: [String: Any]) -> String {
        let content = (json["messages"] as? [[String: Any]])?.last?["content"]
        if let text = content as? String { return text }
        return ((content as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined()
    }

    static func hasImage(_ json: [String: Any]) -> Bool {
        let content = (json["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]] ?? []
        return content.contains { (($0["image_url"] as? [String: Any])?["url"] as? String)?.hasPrefix("data:image/png;base64,") == true }
    }

    static func logprobsChoice(_ content: String, tokens: [(String, [(String, Double)])]) -> [String: any Sendable] {
        ["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop",
         "logprobs": ["content": tokens.map { token, top -> [String: any Sendable] in
             let alternatives: [[String: any Sendable]] = top.map { ["token": $0.0, "logprob": $0.1] }
             return ["token": token, "logprob": top.first?.1 ?? 0, "top_logprobs": alternatives]
         }] as [String: any Sendable]]
    }

    @Test func judgeEvalReadsAServedJudgesVerdictsFromTheTextAndReportsTheParseRate() throws {
        let server = LoopbackChatServer { index, _ in .chat([index % 4 == 3 ? "no idea" : "Both look fine.\nVerdict: A"]) }
        let harness = NodeHarness()
        let bench = try harness.run(WorldBenchmarkNode(), ["items_per_category": .int(4)]) + "/benchmark"
        let out = try harness.run(JudgeEvalNode(), Self.served(server, ["logprobs": .bool(false)]), inputs: ["benchmark": [bench]])
        let report = try JSONDecoder().decode(EvalReport.self, from: try #require(FileManager.default.contents(atPath: out + "/metrics")))
        let items = report.judge.items
        #expect(server.requests.count == 2 * items)
        #expect(server.requests.allSatisfy { Self.hasImage($0.json) && $0.json["temperature"] as? Double == 0 })
        let tally = try #require(report.verdicts)
        #expect(tally.verdicts == 2 * items && tally.unparseable == items / 2 && tally.text == tally.verdicts - tally.unparseable)
        #expect(tally.logprobs == 0)
        #expect(report.judge.unparseable == tally.unparseable)
    }

    @Test func aVerdictsScoreComesFromTheLogprobsOfItsLetter() {
        let choice = ChatResponse.Choice(message: .init(content: "Reasoning. Verdict: B"), logprobs: .init(content: [
            .init(token: "Reasoning.", logprob: -1), .init(token: " Verdict", logprob: -0.5), .init(token: ":", logprob: -0.1),
            .init(token: " B", logprob: -0.1, topLogprobs: [.init(token: " B", logprob: -0.1), .init(token: " A", logprob: -2.5)]),
        ]))
        let reading = VerdictReading.read(choice, pattern: VerdictReading.defaultPattern)
        #expect(reading.verdict == .second && reading.source == .logprobs)
        #expect(abs(reading.margin + 2.4) < 1e-9)
        let onlyOne = ChatResponse.Choice(message: .init(content: "Verdict: A"), logprobs: .init(content: [
            .init(token: "Verdict: ", logprob: -1), .init(token: "A", logprob: -0.3, topLogprobs: [.init(token: "A", logprob: -0.3)]),
        ]))
        #expect(VerdictReading.read(onlyOne, pattern: VerdictReading.defaultPattern) == .init(verdict: .first, margin: 1, source: .text))
        let garbled = ChatResponse.Choice(message: .init(content: "\u{0}\u{FFFD} verdict unclear"))
        #expect(VerdictReading.read(garbled, pattern: VerdictReading.defaultPattern).verdict == .unparseable)
    }

    @Test func pairsClosedSplitsSamplesIntoRequestsOfAtMostMaxNAndVotesOnNormalisedAnswers() throws {
        let server = LoopbackChatServer { _, json in
            (json["n"] as? Int) == 4 ? .chat(["Red.", "red", "**Red**", "blue"]) : .chat(["red", "   "])
        }
        let out = try NodeHarness().run(ClosedPairsNode(), Self.served(server, ["count": .int(6), "samples": .int(6), "max_n": .int(4),
                                                                                  "threshold": .int(3)]))
        let (pairs, _) = try RecordDirectory.read(Pair.self, from: out + "/pairs", file: "pairs.jsonl")
        #expect(!pairs.isEmpty && server.requests.count == 2 * pairs.count)
        #expect(pairs.allSatisfy { $0.preferred == "red" && $0.rejected == "blue" && $0.source == "majority" })
        #expect(Set(server.requests.map { $0.json["n"] as? Int }) == [4, 2])
        #expect(Set(server.requests.map { "\($0.json["seed"] ?? "")" }).count == server.requests.count, "two requests share a seed")
        #expect(server.requests.allSatisfy { Self.hasImage($0.json) && Self.prompt($0.json).hasSuffix("Answer with a single word or number.") })
    }

    @Test func judgeTracesWithAGrammarAsksForAConstrainedVerdictAndScoresItFromLogprobs() throws {
        let server = LoopbackChatServer { _, json in
            if json["grammar"] != nil {
                return .json(["id": "v", "object": "chat.completion",
                              "choices": [Self.logprobsChoice("B", tokens: [("B", [("B", -0.2), ("A", -1.9)])])]])
            }
            if (json["n"] as? Int) != nil { return .chat(Array(["red", "red", "red", "blue"].prefix(json["n"] as? Int ?? 1))) }
            return .chat(["The image shows a red shape."])
        }
        let harness = NodeHarness()
        let pairs = try harness.run(ClosedPairsNode(), Self.served(server, ["count": .int(4), "samples": .int(4), "threshold": .int(2)]))
        let before = server.requests.count
        let out = try harness.run(JudgeTracesNode(), Self.served(server, ["verdict_constraint": .string("grammar")]),
                                  inputs: ["pairs": [pairs + "/pairs"]])
        let (scored, _) = try RecordDirectory.read(ScoredTrace.self, from: out + "/traces", file: "traces.jsonl")
        let sent = server.requests.dropFirst(before)
        #expect(!scored.isEmpty && sent.count == 4 * scored.count)
        #expect(sent.filter { $0.json["grammar"] as? String == #"root ::= "A" | "B""# && $0.json["max_tokens"] as? Int == 1 }.count == 2 * scored.count)
        #expect(scored.allSatisfy { abs($0.straight + 1.7) < 1e-5 && abs($0.swapped + 1.7) < 1e-5 && $0.trace == "The image shows a red shape." })
        let tally = try JSONDecoder().decode(VerdictTally.self, from: try #require(FileManager.default.contents(atPath: out + "/traces/verdicts.json")))
        #expect(tally.logprobs == 2 * scored.count && tally.unparseable == 0)
    }

    @Test func modelEvalComparesNormalisedAnswers() throws {
        let server = LoopbackChatServer { _, _ in .chat(["  YES.\nBecause I can see it."]) }
        let out = try NodeHarness().run(PolicyEvalNode(), Self.served(server, ["count": .int(3)]))
        let metrics = try JSONDecoder().decode(PolicyEvalNode.Metrics.self, from: try #require(FileManager.default.contents(atPath: out + "/metrics")))
        // 3 questions per family and 3 about absent combinations, whose truth is always `no`.
        #expect(server.requests.count == 3 * (metrics.families.count + 1))
        #expect(metrics.families["existence"].map { $0 > 0 } == true, "a 'YES.' reply never matched a 'yes' truth")
        #expect(metrics.absentCombination == 0)
        #expect(RemoteAnswers.normalise("  \"Two circles.\"  \nmore", pattern: "") == "two circles")
        #expect(RemoteAnswers.normalise("The answer is: 3", pattern: #"answer is:\s*(\w+)"#) == "3")
    }

    @Test func onlyAServedModelsNameRevisionAndPromptsEnterTheKey() {
        func keyed(_ params: [String: Value]) -> [String] {
            var filled = params
            for spec in JudgeEvalNode().params where filled[spec.name] == nil { filled[spec.name] = spec.defaultValue }
            return JudgeEvalNode().params.filter { $0.entersKey(filled) }.map(\.name).sorted()
        }
        #expect(keyed([:]) == ["checks", "iteration", "label"])
        let served = keyed(["backend": .string("openai")])
        #expect(Set(["backend", "model", "revision", "judge_prompt", "verdict_pattern", "verdict_constraint"]).isSubset(of: served))
        #expect(!served.contains("checks"), "the embedded judge's check layout is not a served judge's")
        #expect(Set(served).isDisjoint(with: ["endpoint", "api_key_env", "timeout", "in_flight", "retries", "backoff"]))
        #expect(JudgeEvalNode().requiredInputs(params: ["backend": .string("openai")]) == ["benchmark"])
        #expect(JudgeEvalNode().requiredInputs(params: ["backend": .string("embedded")]) == ["judge", "benchmark"])
    }
}
