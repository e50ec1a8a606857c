import Compute
import SyntheticWorld
import TinyVLM

/// The judge protocol. For a pair (image, question, responses A and B) the judge first writes its trace —
/// its own answer to the question, greedily, in the same layout as its question-answer training — and then
/// judges each response on its own: `response : R verdict :`, scored by logit(correct) − logit(wrong) at
/// that slot (constrained to those two words, so a verdict can always be read). A response that places
/// objects in cells (a caption, a row list) is first checked claim by claim against that own answer —
/// `response : R check : a a small large blue red circle circle , … verdict :` (`CellChecks`) — so one
/// altered detail of a long caption is a short comparison next to the verdict. With the default
/// `word-verdicts` layout a closed answer is checked too (`check : blue red .`), and the verdict is also
/// read after every word pair and every part of the check: a response scores the least of those
/// verdicts, so a mismatch is judged where it stands instead of through one verdict over the whole check.
/// The pair's margin is A's score minus B's; since each response is scored alone, the verdict cannot
/// depend on which one is shown first (position bias is impossible by construction, which loop-notes
/// found essential).
public struct Judge {
    public struct Input: Sendable {
        public var patches: [Float]
        public var question: String
        public var responses: (String, String)
        public init(patches: [Float], question: String, responses: (String, String)) {
            self.patches = patches
            self.question = question
            self.responses = responses
        }
    }

    public struct Output: Sendable {
        public var trace: String
        /// Margin with responses as given (A first), and with them swapped (B first).
        public var straight: Float
        public var swapped: Float
    }

    public let model: Model
    public var maxTrace: Int = 48
    public var batch: Int = 32
    /// How each claim stands beside the judge's own object; a judge is read with the layout it was trained with.
    public var checks: CellChecks.Layout = .default

    public init(model: Model) { self.model = model }

    public func judge(_ inputs: [Input]) -> [Output] {
        let tok = model.tokenizer
        var outputs: [Output] = []
        for start in stride(from: 0, to: inputs.count, by: batch) {
            let chunk = Array(inputs[start..<min(inputs.count, start + batch)])
            let traces = model.generate(chunk.map {
                GenerationRequest(patches: $0.patches, prompt: Prompts.question($0.question, tok), maxNewTokens: maxTrace)
            }, options: SamplingOptions(stop: [tok.eos, tok.sep]))
            var sequences: [(patches: [Float], tokens: [Int32], reads: [Int])] = []
            for (k, input) in chunk.enumerated() {
                let prefix = Prompts.question(input.question, tok) + traces[k], answer = tok.decode(traces[k])
                for response in [input.responses.0, input.responses.1] {
                    let view = Prompts.judgeView(trace: prefix, answer: answer, response: response, checks: checks, tok)
                    sequences.append((input.patches, view.tokens, checks.readsEachPart ? view.innerReads : []))
                }
            }
            let scores = verdictScores(sequences)
            for (k, _) in chunk.enumerated() {
                let margin = scores[2 * k] - scores[2 * k + 1]
                outputs.append(Output(trace: tok.decode(traces[k]), straight: margin, swapped: -margin))
            }
        }
        return outputs
    }

    /// logit(correct) − logit(wrong) after each sequence's last token, or the least of it there and at
    /// each of `reads` (the verdicts inside its check).
    func verdictScores(_ sequences: [(patches: [Float], tokens: [Int32], reads: [Int])]) -> [Float] {
        let tok = model.tokenizer, v = model.config.vocab
        let verdict = Prompts.verdictTokens(tok)
        let good = Int(verdict.good), bad = Int(verdict.bad)
        let time = min(model.config.maxText, sequences.map(\.tokens.count).max() ?? 1)
        var patches: [Float] = [], tokens: [Int32] = []
        for s in sequences {
            patches += s.patches
            let t = Array(s.tokens.suffix(time))
            tokens += t + Array(repeating: tok.pad, count: time - t.count)
        }
        let n = sequences.count
        let batch = Batch(size: n, time: time, patches: patches, tokens: tokens,
                          targets: Array(repeating: 0, count: n * time), mask: Array(repeating: 0, count: n * time))
        return model.withLogits(batch) { logits in
            sequences.enumerated().map { (i, s) in
                let dropped = max(0, s.tokens.count - time)
                let positions = s.reads.map { $0 - dropped }.filter { $0 >= 0 } + [min(time, s.tokens.count) - 1]
                return positions.map { p in
                    let row = (i * time + p) * v
                    return logits[row + good] - logits[row + bad]
                }.min()!
            }
        }
    }

    /// Two training examples for a pair the judge agreed with: the preferred response judged `correct`
    /// and the rejected one `wrong` (so the labels are balanced by construction), loss on the trace and
    /// the verdict (not on the copied response). The verdict's loss counts `verdictWeight` times a trace
    /// token's: one token among a trace's dozens would otherwise barely move the check the judge learns.
    /// With word verdicts, the verdicts inside the check are learned at that weight too (`partVerdicts`).
    public static func examples(patches: [Float], question: String, trace: String, preferred: String, rejected: String,
                                verdictWeight: Float = 1, checks: CellChecks.Layout = .default, tokenizer tok: Tokenizer) -> [Example] {
        let prompt = Prompts.question(question, tok)
        let traceTokens = tok.encode(trace)
        let verdict = Prompts.verdictTokens(tok)
        let views = [preferred, rejected].map {
            Prompts.judgeView(trace: traceTokens, answer: trace, response: $0, checks: checks, tok)
        }
        return zip(views, [verdict.good, verdict.bad]).map { (view, word) in
            let full = view.tokens
            // Learned: the trace, the separator that ends it (else the judge forgets to stop and its
            // traces run on into verdict words), and the verdict; unlearned: the copied response and the
            // claim checks (rebuilt from the trace and the response, never written by the judge), except
            // for the verdicts read inside them (`overrides`).
            return Example(patches: patches, prompt: prompt, completion: full + [word],
                           unlearned: traceTokens.count + 1..<full.count, emphasized: full.count..<full.count + 1, emphasis: verdictWeight,
                           overrides: checks.readsEachPart ? partVerdicts(view, preferred: views[0], verdict) : [:])
        }
    }

    /// The verdicts read inside a check, learned from the pair alone: after each part, `correct` where the
    /// preferred response's check has the same part, else `wrong`; after each word pair of a part the
    /// preferred check lacks, `wrong` where the claim word differs from the preferred response's claim about
    /// the same object (its part with the same own words), else `correct`. So the one word the pair differs
    /// in is where the rejected response is judged wrong. Keyed by completion position, as `Example.overrides`.
    static func partVerdicts(_ view: Prompts.JudgeView, preferred: Prompts.JudgeView, _ verdict: (good: Int32, bad: Int32)) -> [Int: Int32] {
        let agreed = Set(preferred.parts)
        var overrides: [Int: Int32] = [:]
        for (k, part) in view.parts.enumerated() {
            let ok = agreed.contains(part)
            overrides[view.partEnds[k] + 1] = ok ? verdict.good : verdict.bad
            guard part.paired, let model = ok ? part : preferred.parts.filter({ $0.paired && $0.own == part.own })
                .min(by: { mismatches($0.claim, part.claim) < mismatches($1.claim, part.claim) }) else { continue }
            for (end, (a, b)) in zip(view.pairEnds[k], zip(model.claim, part.claim)) {
                overrides[end + 1] = a == b ? verdict.good : verdict.bad
            }
        }
        return overrides
    }

    static func mismatches(_ a: [String], _ b: [String]) -> Int { zip(a, b).filter { $0 != $1 }.count }
}
