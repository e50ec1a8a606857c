import Foundation
import JudgeEval
import JudgeStages
import NodeKit
import SyntheticWorld
import Testing

@Suite struct EvalMetadataTests {
    @Test func worldBenchmarkDescribesItselfInBenchmarkJSON() throws {
        let out = try NodeHarness().run(WorldBenchmarkNode(), ["style": .string("multimodal-rewardbench"), "items_per_category": .int(2),
                                                               "seed": .int(31)])
        let data = try #require(FileManager.default.contents(atPath: out + "/benchmark/benchmark.json"))
        let description = try JSONDecoder().decode(BenchmarkDescription.self, from: data)
        var world = WorldConfig()
        world.maxObjects = 4   // world.benchmark's default
        #expect(description == BenchmarkDescription(style: "multimodal-rewardbench", itemsPerCategory: 2, seed: 31,
                                                    vocabulary: WorldVocabulary.drawn(by: world)))
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
        #expect(keys == ["items_per_category", "seed", "style", "version", "vocabulary"])
    }

    @Test func judgeEvalMetricsCarryTheBenchmarkStyleAndTheIteration() throws {
        let harness = NodeHarness()
        let bench = try harness.run(WorldBenchmarkNode(), ["items_per_category": .int(1), "max_objects": .int(3)]) + "/benchmark"
        let model = try harness.run(PretrainNode(), ["steps": .int(1), "scenes": .int(4), "d": .int(16), "layers": .int(1),
                                                     "heads": .int(2), "max_text": .int(160), "max_objects": .int(3)]) + "/model"
        let out = try harness.run(JudgeEvalNode(), ["iteration": .int(3)], inputs: ["judge": [model], "benchmark": [bench]])
        let report = try JSONDecoder().decode(EvalReport.self, from: try #require(FileManager.default.contents(atPath: out + "/metrics")))
        #expect(report.benchmark == "vl-rewardbench")
        #expect(report.iteration == 3)
        #expect(report.judge.items == 3)
    }

    @Test func aBenchmarkWithoutDescriptionIsNamedByItsDirectory() throws {
        let dir = NodeHarness().root + "/imported-vlrb"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(try BenchmarkDescription.name(ofDirectory: dir) == "imported-vlrb")
        try Data("{\"style\": \"VL-RewardBench\"}".utf8).write(to: URL(fileURLWithPath: dir + "/benchmark.json"))
        #expect(try BenchmarkDescription.name(ofDirectory: dir) == "VL-RewardBench")
    }

    @Test func metricsWrittenBeforeVersion2DecodeWithoutBenchmarkOrIteration() throws {
        let metrics = #"{"items": 1, "overall": 0.5, "macro": 0.5, "overallCoinFlip": 0.5, "categories": {"general": 0.5}, "positionConsistency": 0, "unparseable": 0}"#
        let old = "{\"judge\": \(metrics), \"random\": \(metrics), \"longer\": \(metrics), \"label\": \"iteration 1\"}"
        let report = try JSONDecoder().decode(EvalReport.self, from: Data(old.utf8))
        #expect(report.benchmark == nil && report.iteration == nil && report.label == "iteration 1")
    }
}
