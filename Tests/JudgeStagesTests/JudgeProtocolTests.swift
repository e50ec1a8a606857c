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
        let closed = Prompts.judgeResponse(trace: tok.encode("2"), answer: "2", response: "3", checks: .interleaved, tok)
        #expect(closed == tok.encode("2") + [tok.sep] + tok.encode("response : 3 verdict :"), "closed answers have no check")
        let checked = Prompts.judgeResponse(trace: tok.encode("2"), answer: "2", response: "3", tok)
        #expect(checked == tok.encode("2") + [tok.sep] + tok.encode("response : 3 check : 3 2 . verdict :"))
    }

    @Test func theViewNamesWhereEachPartAndWordPairEnds() {
        let own = "a large red circle in row 1 column 1 ."
        let view = Prompts.judgeView(trace: tok.encode(own), answer: own, response: "a large blue circle in row 1 column 1 . "
                                     + "a small red square in row 2 column 2 .", tok)
        let words = view.tokens.map { tok.words[Int($0)] }
        #expect(view.partEnds.map { words[$0] } == ["circle", "nothing"])
        #expect(view.pairEnds.count == 2 && view.pairEnds[1].isEmpty)
        #expect(view.pairEnds[0].map { words[$0 - 1] + " " + words[$0] } == ["a a", "large large", "blue red", "circle circle"])
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

    /// The pair alone says where the rejected response is wrong: the one word it differs in.
    @Test func wordVerdictsLearnWrongAtTheOneWordThePairDiffersIn() {
        let own = "a large red circle in row 1 column 1 . a small blue square in row 2 column 3 ."
        let rejected = "a large red circle in row 1 column 1 . a small red square in row 2 column 3 ."
        let e = Judge.examples(patches: [], question: "describe the image .", trace: own, preferred: own, rejected: rejected,
                               verdictWeight: 20, tokenizer: tok)
        let words = e[1].completion.map { tok.words[Int($0)] }
        #expect(Set(e[0].overrides.values) == [tok.id("correct")] && e[0].overrides.count == 8, "every word pair of the preferred")
        let wrong = e[1].overrides.filter { $0.value == tok.id("wrong") }.map(\.key)
        #expect(wrong.count == 1 && words[wrong[0] - 2] + " " + words[wrong[0] - 1] == "red blue")
        #expect(e[1].overrides.count == 8 && e[1].completion.last == tok.id("wrong"))
        let interleaved = Judge.examples(patches: [], question: "describe the image .", trace: own, preferred: own, rejected: rejected,
                                         verdictWeight: 20, checks: .interleaved, tokenizer: tok)
        #expect(interleaved.allSatisfy { $0.overrides.isEmpty })
    }

    @Test func aVerdictInsideTheCheckIsATargetAtTheVerdictWeightThoughTheCheckIsUnlearned() {
        let e = Judge.examples(patches: [Float](repeating: 0, count: 3 * 64), question: "how many objects ?", trace: "2",
                               preferred: "2", rejected: "3", verdictWeight: 7, tokenizer: tok)[1]
        let batch = Batch(examples: [e], tokenizer: tok, maxText: 64)
        // `… response : 3 check : 3 2 . verdict : wrong`: the pair's verdict is read at its second word.
        let (at, word) = e.overrides.first!
        #expect(e.overrides.count == 1 && word == tok.id("wrong") && e.unlearned.contains(at))
        #expect(tok.words[Int(e.completion[at - 1])] == "2" && tok.words[Int(e.completion[at])] == ".")
        #expect(batch.targets[e.prompt.count + at - 1] == tok.id("wrong") && batch.mask[e.prompt.count + at - 1] == 7)
        #expect(batch.mask[e.prompt.count + at - 2] == 0, "the rest of the check carries no loss")
    }

    @Test func aResponseScoresTheLeastOfItsVerdicts() {
        let config = ModelConfig(vocab: tok.count, d: 16, layers: 1, heads: 2, maxText: 96, imageSize: 8)
        let judge = Judge(model: Model(config: config, tokenizer: tok, seed: 3, threads: 1))
        let patches = [Float](repeating: 0.1, count: config.patches * config.patchFeatures)
        let own = "a large red circle in row 1 column 1 . a small blue square in row 2 column 3 ."
        let view = Prompts.judgeView(trace: tok.encode(own), answer: own, response: "a small red circle in row 1 column 1 .", tok)
        let reads = view.innerReads
        // The model is causal: a verdict read at p is the last-token verdict of the sequence cut after p.
        let each = (reads + [view.tokens.count - 1]).map { p in judge.verdictScores([(patches, Array(view.tokens[...p]), [])])[0] }
        #expect(abs(judge.verdictScores([(patches, view.tokens, reads)])[0] - each.min()!) < 1e-4)
        #expect(abs(judge.verdictScores([(patches, view.tokens, [])])[0] - each.last!) < 1e-4, "without reads: the last verdict")
        #expect(each.max()! - each.min()! > 1e-3, "the verdicts differ, so the least is a choice")
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
