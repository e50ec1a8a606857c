import Compute
import SyntheticWorld
import TinyVLM

/// The judge protocol. For a pair (image, question, responses A and B) the judge first writes its trace —
/// its own answer to the question, greedily, in the same layout as its question-answer training — and then
/// reads `first : A second : B verdict :`. Its verdict margin is logit(first) − logit(second) at that slot
/// (the verdict is constrained to those two words, so it can always be read). Both orders are scored.
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

    public init(model: Model) { self.model = model }

    public func judge(_ inputs: [Input]) -> [Output] {
        let tok = model.tokenizer
        var outputs: [Output] = []
        for start in stride(from: 0, to: inputs.count, by: batch) {
            let chunk = Array(inputs[start..<min(inputs.count, start + batch)])
            let traces = model.generate(chunk.map {
                GenerationRequest(patches: $0.patches, prompt: Prompts.question($0.question, tok), maxNewTokens: maxTrace)
            }, options: SamplingOptions(stop: [tok.eos, tok.sep]))
            var sequences: [(patches: [Float], tokens: [Int32])] = []
            for (k, input) in chunk.enumerated() {
                let prefix = Prompts.question(input.question, tok) + traces[k]
                sequences.append((input.patches, Prompts.judgeComparison(trace: prefix, first: input.responses.0, second: input.responses.1, tok)))
                sequences.append((input.patches, Prompts.judgeComparison(trace: prefix, first: input.responses.1, second: input.responses.0, tok)))
            }
            let margins = verdictMargins(sequences)
            for (k, _) in chunk.enumerated() {
                outputs.append(Output(trace: tok.decode(traces[k]), straight: margins[2 * k], swapped: margins[2 * k + 1]))
            }
        }
        return outputs
    }

    /// logit(first) − logit(second) after each sequence's last token.
    func verdictMargins(_ sequences: [(patches: [Float], tokens: [Int32])]) -> [Float] {
        let tok = model.tokenizer, v = model.config.vocab
        let first = Int(tok.id("first")), second = Int(tok.id("second"))
        let time = min(model.config.maxText, sequences.map(\.tokens.count).max() ?? 1)
        var patches: [Float] = [], tokens: [Int32] = []
        for s in sequences {
            patches += s.patches
            let t = Array(s.tokens.suffix(time))
            tokens += t + Array(repeating: tok.pad, count: time - t.count)
        }
        let n = sequences.count
        let logits = model.logits(Batch(size: n, time: time, patches: patches, tokens: tokens,
                                        targets: Array(repeating: 0, count: n * time), mask: Array(repeating: 0, count: n * time)))
        return sequences.enumerated().map { (i, s) in
            let row = (i * time + min(time, s.tokens.count) - 1) * v
            return logits[row + first] - logits[row + second]
        }
    }

    /// Two training examples for a pair the judge agreed with: both orders, verdict pointing at the
    /// preferred response, loss on the trace and the verdict (not on the copied responses).
    public static func examples(patches: [Float], question: String, trace: String, preferred: String, rejected: String,
                                tokenizer tok: Tokenizer) -> [Example] {
        let prompt = Prompts.question(question, tok)
        let traceTokens = tok.encode(trace)
        return [(preferred, rejected, "first"), (rejected, preferred, "second")].map { (a, b, verdict) in
            let full = Prompts.judgeComparison(trace: traceTokens, first: a, second: b, tok)
            // Unlearned: from the separator after the trace to the end of "verdict :".
            return Example(patches: patches, prompt: prompt, completion: full + [tok.id(verdict)],
                           unlearned: traceTokens.count..<full.count)
        }
    }
}
