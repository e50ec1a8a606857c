import Foundation
import NodeKit
import SyntheticWorld
import Testing
@testable import JudgeStages

/// `judge.train` with `trainer: command`: the dataset the user's trainer is given, and what becomes the model.
@Suite struct ExternalTrainerTests {
    static func keptDirectory(_ harness: NodeHarness) throws -> String {
        var config = WorldConfig()
        config.imageSize = 24
        config.grid = 3
        let world = WorldRef(seed: 5, world: config)
        let kept = [KeptTrace(scene: 3, family: "colour", question: "what colour is the circle ?", trace: "red", preferred: "red",
                              rejected: "blue"),
                    KeptTrace(scene: 4, family: "caption", question: "describe the image .", trace: "I see it's a red circle.",
                              preferred: "a red circle", rejected: "a blue circle", swappedTrace: "B's circle is red.")]
        let dir = harness.root + "/kept"
        try RecordDirectory.write(kept, world: world, to: dir, file: "kept.jsonl")
        return dir
    }

    @Test func theTrainerCommandGetsTRLAndLLaMAFactoryDatasetsAndItsOutputIsTheModel() throws {
        let harness = NodeHarness()
        let data = try Self.keptDirectory(harness)
        let out = try harness.run(JudgeTrainNode(), ["trainer": .string("command"),
                                                     "command": .string("cp {data}/train.jsonl {data}/llamafactory.json {data}/dataset_info.json {output}/ && ls {data}/images > {output}/images.txt && echo \"$JF_OUTPUT\" > {output}/where.txt")],
                                  inputs: ["data": [data]])
        let model = out + "/model"
        let lines = try String(contentsOfFile: model + "/train.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["images"] as? [String] == ["images/set0-3.png"])
        let messages = try #require(first["messages"] as? [[String: Any]])
        let user = try #require(messages[0]["content"] as? [[String: Any]])
        #expect(user.first?["type"] as? String == "image")
        #expect((user.last?["text"] as? String)?.contains("Response A: red\n\nResponse B: blue") == true)
        #expect(((messages[1]["content"] as? [[String: Any]])?.first?["text"] as? String) == "red\nVerdict: A")
        let fourth = try #require(try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: Any])
        let answer = ((fourth["messages"] as? [[String: Any]])?[1]["content"] as? [[String: Any]])?.first?["text"] as? String
        #expect(answer == "B's circle is red.\nVerdict: B")
        let factory = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/llamafactory.json"))) as? [[String: Any]])
        #expect(factory.count == 4 && ((factory[0]["messages"] as? [[String: Any]])?[0]["content"] as? String)?.hasPrefix("<image>") == true)
        let info = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/dataset_info.json"))) as? [String: Any])
        #expect((info["judgeflow_kept"] as? [String: Any])?["formatting"] as? String == "sharegpt")
        #expect(try String(contentsOfFile: model + "/images.txt", encoding: .utf8) == "set0-3.png\nset0-4.png\n")
        #expect(try String(contentsOfFile: model + "/where.txt", encoding: .utf8) == model + "\n")
    }

    @Test func aTrainerThatFailsOrWritesNothingFailsTheNodeWithItsLog() throws {
        let harness = NodeHarness()
        let data = try Self.keptDirectory(harness)
        #expect(throws: NodeError.self) {
            try harness.run(JudgeTrainNode(), ["trainer": .string("command"), "command": .string("echo out of memory >&2; exit 3 # {output}")],
                            inputs: ["data": [data]])
        }
        #expect(throws: NodeError.self) {
            try harness.run(JudgeTrainNode(), ["trainer": .string("command"), "command": .string("true {output}")], inputs: ["data": [data]])
        }
        #expect(JudgeTrainNode().problems(params: ["trainer": .string("command"), "command": .string("train.sh {data}")]).map(\.param) == ["command"])
        #expect(JudgeTrainNode().requiredInputs(params: ["trainer": .string("command")]) == ["data"])
    }
}
