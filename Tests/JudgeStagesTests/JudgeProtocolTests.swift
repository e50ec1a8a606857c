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

/// Where the claim-by-claim check sits in what the judge reads and learns.
@Suite struct CheckedJudgingTests {
    let tok = Prompts.worldTokenizer()

    @Test func aPlacedObjectResponseIsFollowedByItsCheckBeforeTheVerdict() {
        let own = "a large red circle in row 1 column 1 ."
        let response = "a small blue circle in row 1 column 1 ."
        let seq = Prompts.judgeResponse(trace: tok.encode(own), answer: own, response: response, tok)
        #expect(Array(seq.suffix(14)) == tok.encode(". check : a a small large blue red circle circle . verdict :"))
        let sequential = Prompts.judgeResponse(trace: tok.encode(own), answer: own, response: response, checks: .sequential, tok)
        #expect(Array(sequential.suffix(16)) == tok.encode(". check : a small blue circle i see a large red circle . verdict :"))
        let closed = Prompts.judgeResponse(trace: tok.encode("2"), answer: "2", response: "3", tok)
        #expect(closed == tok.encode("2") + [tok.sep] + tok.encode("response : 3 verdict :"), "closed answers are judged as before")
    }

    @Test func theCheckIsContextNotATargetInTrainingExamples() {
        let own = "a large red circle in row 1 column 1 ."
        let e = Judge.examples(patches: [], question: "describe the image .", trace: own, preferred: own,
                               rejected: "a large blue circle in row 1 column 1 .", verdictWeight: 20, tokenizer: tok)
        #expect(e.count == 2)
        let checkAt = e[1].completion.lastIndex(of: tok.id("check"))!
        #expect(e[1].unlearned.contains(checkAt) && e[1].unlearned.upperBound == e[1].completion.count - 1)
        #expect(e[1].completion.last == tok.id("wrong"))
    }

    @Test func trainingExamplesCarryTheCheckInTheLayoutTheyAreGiven() {
        let own = "a large red circle in row 1 column 1 .", rejected = "a large blue circle in row 1 column 1 ."
        func check(_ layout: CellChecks.Layout) -> [Int32] {
            let e = Judge.examples(patches: [], question: "describe the image .", trace: own, preferred: own, rejected: rejected,
                                   verdictWeight: 20, checks: layout, tokenizer: tok)[1].completion
            return Array(e[(e.lastIndex(of: tok.id("check"))! + 2)..<(e.count - 3)])
        }
        #expect(check(.interleaved) == tok.encode("a a large large blue red circle circle ."))
        #expect(check(.sequential) == tok.encode("a large blue circle i see a large red circle ."))
    }

    @Test func checkedCaptionsKeepTheMarginPositionFree() {
        let config = ModelConfig(vocab: tok.count, d: 16, layers: 1, heads: 2, maxText: 96, imageSize: 8)
        let judge = Judge(model: Model(config: config, tokenizer: tok, seed: 5, threads: 1))
        let patches = [Float](repeating: 0.1, count: config.patches * config.patchFeatures)
        let a = "a small red circle in row 1 column 1 .", b = "a small blue square in row 2 column 1 ."
        let out = judge.judge([Judge.Input(patches: patches, question: "describe the image .", responses: (a, b)),
                               Judge.Input(patches: patches, question: "describe the image .", responses: (b, a))])
        #expect(out[0].straight == -out[0].swapped)
        #expect(out[0].straight == out[1].swapped && out[0].swapped == out[1].straight)
    }
}
