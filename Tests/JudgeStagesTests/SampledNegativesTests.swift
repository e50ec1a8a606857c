import JudgeEval
import Testing
import TinyVLM
import SyntheticWorld
@testable import JudgeStages

/// Benchmark negatives sampled from the model: only genuine, well-formed mistakes replace a
/// perturbation, only in the categories that take them, and the preferred response never changes.
@Suite struct SampledNegativesTests {
    @Test func aSampleCountsAsAMistakeOnlyWhenWellFormedAndDifferent() {
        #expect(SampledNegatives.isWrong("3", truth: "2"))
        #expect(!SampledNegatives.isWrong("2", truth: "2"))
        #expect(!SampledNegatives.isWrong("", truth: "2"))
        #expect(!SampledNegatives.isWrong("2 red circle", truth: "2"), "a run-on sample is not a closed answer")
        let truth = "a small red circle in row 1 column 2 . a large blue square in row 2 column 1 ."
        #expect(!SampledNegatives.isWrong("a large blue square in row 2 column 1 . a small red circle in row 1 column 2 .", truth: truth),
                "the same objects in another order are not a mistake")
        #expect(SampledNegatives.isWrong("a small red circle in row 1 column 2 . a large blue circle in row 2 column 1 .", truth: truth))
        #expect(!SampledNegatives.isWrong("a small red circle in row 1 column", truth: truth), "malformed captions are skipped")
    }

    @Test func sampledMistakesReplaceOnlyRejectedResponsesOfEligibleCategories() {
        var world = WorldConfig()
        world.imageSize = 24
        world.grid = 3
        world.maxObjects = 3
        let builder = BenchmarkBuilder(style: .multimodalRewardBench, seed: 5, itemsPerCategory: 6, world: world)
        let drafts = builder.drafts()
        let tok = Prompts.worldTokenizer()
        let model = Model(config: ModelConfig(vocab: tok.count, d: 16, layers: 1, heads: 2, maxText: 96, imageSize: 24),
                          tokenizer: tok, seed: 2, threads: 1)
        let out = SampledNegatives.apply(drafts, builder: builder, samplers: [model], share: 1, seed: 9)
        #expect(out.count == drafts.count)
        for (before, after) in zip(drafts, out) {
            #expect(after.item.responses[after.item.preferred] == before.item.responses[before.item.preferred])
            if !SampledNegatives.categories.contains(before.item.category) { #expect(after == before) }
            if after != before { #expect(after.item.source?.contains("model-stage-1") == true) }
        }
        #expect(SampledNegatives.apply(drafts, builder: builder, samplers: [model], share: 1, seed: 9) == out, "deterministic")
    }
}
