import Testing
import TinyVLM
@testable import JudgeStages

/// The judge's token layout and training targets: what it learns, what it copies, and why its verdict
/// cannot depend on which response is shown first.
@Suite struct JudgeProtocolTests {
    let tok = Prompts.worldTokenizer()

    @Test func trainingExamplesLabelThePreferredCorrectAndTheRejectedWrong() {
        let examples = Judge.examples(patches: [], question: "how many objects ?", trace: "2", preferred: "2", rejected: "3",
                                      verdictWeight: 5, tokenizer: tok)
        #expect(examples.count == 2)
        #expect(examples.map { $0.completion.last } == [tok.id("correct"), tok.id("wrong")])
    }

    @Test func traceAndItsEndingSeparatorAreLearnedButTheCopiedResponseIsNot() {
        let e = Judge.examples(patches: [], question: "what color is the circle ?", trace: "red", preferred: "red", rejected: "blue",
                               tokenizer: tok)[0]
        let trace = tok.encode("red")
        // completion = trace <sep> response : R verdict : <word>
        #expect(Array(e.completion.prefix(trace.count + 1)) == trace + [tok.sep])
        #expect(!e.unlearned.contains(trace.count), "the separator that ends the trace must carry loss")
        #expect(e.unlearned.contains(trace.count + 1) && e.unlearned.upperBound == e.completion.count - 1)
    }

    @Test func verdictLossIsWeightedInTheBatchMask() {
        let e = Judge.examples(patches: [Float](repeating: 0, count: 3 * 64), question: "how many objects ?", trace: "2",
                               preferred: "2", rejected: "3", verdictWeight: 7, tokenizer: tok)[0]
        let batch = Batch(examples: [e], tokenizer: tok, maxText: 64)
        // The verdict word is the target at the position of the last prompt-or-completion token before it.
        let verdictTarget = e.prompt.count + e.completion.count - 2
        #expect(batch.targets[verdictTarget] == tok.id("correct"))
        #expect(batch.mask[verdictTarget] == 7)
        #expect(batch.mask[verdictTarget - 1] == 0, "the copied response and 'verdict :' carry no loss")
        #expect(batch.mask[e.prompt.count - 1] == 1, "the trace's first token carries loss")
    }

    @Test func swappingTheResponsesNegatesTheMarginExactly() {
        let config = ModelConfig(vocab: tok.count, d: 16, layers: 1, heads: 2, maxText: 64, imageSize: 8)
        let judge = Judge(model: Model(config: config, tokenizer: tok, seed: 5, threads: 1))
        let patches = [Float](repeating: 0.1, count: config.patches * config.patchFeatures)
        let out = judge.judge([Judge.Input(patches: patches, question: "how many objects ?", responses: ("2", "3")),
                               Judge.Input(patches: patches, question: "how many objects ?", responses: ("3", "2"))])
        #expect(out[0].straight == -out[0].swapped)
        #expect(out[0].straight == out[1].swapped && out[0].swapped == out[1].straight)
    }
}
