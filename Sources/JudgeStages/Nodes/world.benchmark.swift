import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import Compute
import TinyVLM

/// `uses: world.benchmark` — a judge benchmark from held-out scenes of the embedded world: a directory
/// with `items.jsonl` (docs/benchmarks.md), `images/N.png` and `benchmark.json` (style, items per
/// category and seed, so the metrics computed on it can name it).
public struct WorldBenchmarkNode: NodeType {
    public init() {}
    public let name = "world.benchmark"
    public let implementationVersion = "5" + modelNumerics
    public let summary = "VL-RewardBench- or Multimodal-RewardBench-style pairs from held-out world scenes"
    public var params: [ParamSpec] {
        [ParamSpec("style", .oneOf(BenchmarkBuilder.Style.allCases.map(\.rawValue)), default: .string("vl-rewardbench"),
                   doc: "which benchmark's categories to build"),
         ParamSpec("seed", .int, default: .int(1000), range: ParamRanges.seed,
                   doc: "benchmark seed (scenes come from a stream no training node uses)"),
         ParamSpec("items_per_category", .int, default: .int(200), range: 1...100_000,
                   doc: "items in each category (200 → one item moves accuracy 0.25 points)"),
         ParamSpec("sampled_share", .double, default: .double(0.5), range: 0...1,
                   doc: "share of eligible items whose rejected response is a model's own wrong sample (with `samplers`)")]
            + WorldParams.specs
    }
    public func problems(params: [String: Value]) -> [ParamProblem] { WorldParams.problems(params) }
    public let inputs = [InputSpec("samplers", required: false, multiple: true,
                                   doc: "model checkpoints at several training stages whose wrong samples become rejected responses")]
    public func outputs(params: [String: Value]) -> [String] { ["benchmark"] }

    public func run(_ context: NodeContext) throws {
        let style = BenchmarkBuilder.Style(rawValue: try context.params.string("style")) ?? .vlRewardBench
        let count = try context.params.int("items_per_category")
        guard count > 0 else { throw NodeError.invalid("items_per_category must be positive") }
        let builder = BenchmarkBuilder(style: style, seed: UInt64(truncatingIfNeeded: try context.params.int("seed")),
                                       itemsPerCategory: count, world: try WorldParams.config(context.params))
        let samplers = try (context.inputs["samplers"] ?? []).map { try Checkpoint.load($0.path, threads: context.threads) }
        let drafts = SampledNegatives.apply(builder.drafts(), builder: builder, samplers: samplers,
                                            share: try context.params.double("sampled_share"), seed: builder.seed)
        let findings = BenchmarkLint.check(drafts.map(\.item), vocabulary: WorldVocabulary.drawn(by: builder.world))
        if let first = findings.first {
            throw NodeError.invalid("world.benchmark: \(findings.count) items fail the benchmark lint, first \(first.item): \(first.message)")
        }
        let directory = context.outputPath("benchmark")
        try FileManager.default.createDirectory(atPath: directory + "/images", withIntermediateDirectories: true)
        var written = Set<Int>()
        for (n, draft) in drafts.enumerated() where written.insert(draft.scene).inserted {
            try Data(PNG.encode(Renderer.render(builder.scene(draft.scene)))).write(to: URL(fileURLWithPath: directory + "/" + draft.item.image))
            if n % 100 == 0 { context.progress(Double(n) / Double(drafts.count), "rendering") }
        }
        try Data(BenchmarkFile.encode(drafts.map(\.item))).write(to: URL(fileURLWithPath: directory + "/items.jsonl"))
        let description = BenchmarkDescription(style: style.rawValue, itemsPerCategory: count, seed: try context.params.int("seed"),
                                               vocabulary: WorldVocabulary.drawn(by: builder.world))
        try Data(description.encoded()).write(to: URL(fileURLWithPath: directory + "/" + BenchmarkDescription.fileName))
        let perCategory = Dictionary(grouping: drafts, by: \.item.category).mapValues(\.count)
        context.log("\(drafts.count) items: " + perCategory.keys.sorted().map { "\($0) \(perCategory[$0]!)" }.joined(separator: ", "))
    }
}
