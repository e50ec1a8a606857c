/// One supervised example: an image, a prompt and the completion to learn (loss on the completion
/// and its end token only).
public struct Example: Sendable, Equatable {
    public var patches: [Float]
    public var prompt: [Int32]
    public var completion: [Int32]
    /// Completion positions that carry no loss (e.g. the responses a judge copies between its trace and
    /// its verdict).
    public var unlearned: Range<Int>
    /// Completion positions whose loss counts `emphasis` times (e.g. a judge's one-token verdict, which
    /// would otherwise be drowned by the trace before it).
    public var emphasized: Range<Int>
    public var emphasis: Float
    /// Completion positions whose target is another token than the next one, learned at `emphasis`
    /// whatever `unlearned` says (e.g. a verdict read in the middle of a judge's view, after each claim).
    public var overrides: [Int: Int32]

    public init(patches: [Float], prompt: [Int32], completion: [Int32], unlearned: Range<Int> = 0..<0,
                emphasized: Range<Int> = 0..<0, emphasis: Float = 1, overrides: [Int: Int32] = [:]) {
        self.patches = patches
        self.prompt = prompt
        self.completion = completion
        self.unlearned = unlearned
        self.emphasized = emphasized
        self.emphasis = emphasis
        self.overrides = overrides
    }
}

extension Batch {
    /// Packs examples into a batch padded to the longest (capped at `maxText`): text is
    /// `prompt completion <eos>`, targets are the next tokens, and the mask covers the positions whose
    /// target is a completion token or the final `<eos>` (weighted by the example's emphasis where asked).
    public init(examples: [Example], tokenizer: Tokenizer, maxText: Int) {
        let time = min(maxText, examples.map { $0.prompt.count + $0.completion.count }.max() ?? 1)
        var patches: [Float] = [], tokens: [Int32] = [], targets: [Int32] = [], mask: [Float] = []
        for e in examples {
            patches += e.patches
            let text = Array((e.prompt + e.completion + [tokenizer.eos]).prefix(time + 1))
            for t in 0..<time {
                tokens.append(t < text.count ? text[t] : tokenizer.pad)
                let hasTarget = t + 1 < text.count
                let inCompletion = t + 1 - e.prompt.count
                if hasTarget, inCompletion >= 0, let target = e.overrides[inCompletion] {
                    targets.append(target)
                    mask.append(e.emphasis)
                    continue
                }
                targets.append(hasTarget ? text[t + 1] : tokenizer.pad)
                let learned = hasTarget && inCompletion >= 0 && !e.unlearned.contains(inCompletion)
                mask.append(learned ? (e.emphasized.contains(inCompletion) ? e.emphasis : 1) : 0)
            }
        }
        self.init(size: examples.count, time: time, patches: patches, tokens: tokens, targets: targets, mask: mask)
    }
}
