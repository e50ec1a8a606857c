import JudgeEval
import Testing
import TinyVLM
import SyntheticWorld
@testable import JudgeStages

/// Benchmark negatives sampled from the model: only genuine, well-formed mistakes replace a
/// perturbation, only in the categories that take them, and the preferred response never changes.
@Suite struct SampledNegativesTests {
    @Test func aSampleCountsAsAMistakeOnlyWhenWellFormedDifferentAsLongAndInWorld() {
        var world = WorldConfig()
        world.shapes = [.circle, .square, .triangle]
        world.colours = [.red, .green, .blue, .yellow]
        func wrong(_ a: String, _ truth: String) -> Bool { SampledNegatives.isWrong(a, truth: truth, vocabulary: WorldVocabulary.drawn(by: world)) }
        #expect(wrong("3", "2"))
        #expect(!wrong("2", "2"))
        #expect(!wrong("", "2"))
        #expect(!wrong("2 red circle", "2"), "a run-on sample is not a closed answer")
        #expect(!wrong("purple", "red"), "a colour the world never draws gives itself away")
        #expect(wrong("blue", "red"))
        #expect(!wrong("red", "2"), "a colour for a count has another answer type")
        let truth = "a small red circle in row 1 column 2 . a large blue square in row 2 column 1 ."
        #expect(!wrong("a large blue square in row 2 column 1 . a small red circle in row 1 column 2 .", truth),
                "the same objects in another order are not a mistake")
        #expect(wrong("a small red circle in row 1 column 2 . a large blue circle in row 2 column 1 .", truth))
        #expect(!wrong("a small red diamond in row 1 column 2 . a large blue circle in row 2 column 1 .", truth), "out of world")
        #expect(!wrong("a small red circle in row 1 column 2 .", truth), "a shorter caption is told apart by its length")
        #expect(!wrong("a small red circle in row 1 column", truth), "malformed captions are skipped")
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
