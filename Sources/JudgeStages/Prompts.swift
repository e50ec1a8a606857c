import SyntheticWorld
import TinyVLM

/// The token layouts every model-facing node shares. A question-answer example is
/// `<bos> question words <sep>` → `answer words <eos>`; the judge's prompt reuses that exact prefix so its
/// trace (its own answer) is what the base model already does, then shows one response right after it —
/// followed, for a response that places objects in cells (and, with word verdicts, a closed answer), by
/// its claim-by-claim check against that own answer (`CellChecks`) — and asks for a verdict on it:
/// `… <sep> own answer <sep> response : R [check : C] verdict :` → `correct|wrong <eos>`.
public enum Prompts {
    public static func question(_ text: String, _ tokenizer: Tokenizer) -> [Int32] {
        [tokenizer.bos] + tokenizer.encode(text) + [tokenizer.sep]
    }

    /// The judge's view of one response: its trace (`trace`: the tokens so far, ending with its own answer
    /// `answer`), then the response right after it (so checking one against the other is a short-range
    /// comparison), then — when the response places objects — each claim beside what its own answer puts in
    /// that cell (`check : C`), then the verdict slot.
    public static func judgeResponse(trace: [Int32], answer: String, response: String, checks: CellChecks.Layout = .default,
                                     _ tokenizer: Tokenizer) -> [Int32] {
        judgeView(trace: trace, answer: answer, response: response, checks: checks, tokenizer).tokens
    }

    /// The judge's view of one response with the place of each check part: `partEnds[k]` is the index in
    /// `tokens` of the last word of `parts[k]`, where a per-claim verdict is read.
    public struct JudgeView {
        public var tokens: [Int32]
        public var parts: [CellChecks.Part]
        public var partEnds: [Int]
        /// Per part, the index in `tokens` of the second word of each interleaved pair (empty for other parts).
        public var pairEnds: [[Int]]
        /// Every place inside the check where a word-verdicts judge reads a verdict.
        public var innerReads: [Int] { partEnds + pairEnds.flatMap { $0 } }
    }

    public static func judgeView(trace: [Int32], answer: String, response: String, checks: CellChecks.Layout = .default,
                                 _ tokenizer: Tokenizer) -> JudgeView {
        var tokens = trace + [tokenizer.sep] + tokenizer.encode("response :") + tokenizer.encode(response)
        let parts = CellChecks.parts(response: response, trace: answer, layout: checks) ?? []
        var ends: [Int] = [], pairEnds: [[Int]] = []
        if !parts.isEmpty {
            tokens += tokenizer.encode("check :")
            for (k, part) in parts.enumerated() {
                let start = tokens.count
                tokens += tokenizer.encode(part.text)
                pairEnds.append(part.paired ? part.claim.indices.map { start + 2 * $0 + 1 } : [])
                ends.append(tokens.count - 1)
                tokens += tokenizer.encode(k + 1 < parts.count ? "," : ".")
            }
        }
        return JudgeView(tokens: tokens + tokenizer.encode("verdict :"), parts: parts, partEnds: ends, pairEnds: pairEnds)
    }

    /// The two words a verdict may be (constrained decoding reads only these).
    public static func verdictTokens(_ tokenizer: Tokenizer) -> (good: Int32, bad: Int32) { (tokenizer.id("correct"), tokenizer.id("wrong")) }

    /// The world's tokenizer: its closed vocabulary plus the special tokens.
    public static func worldTokenizer() -> Tokenizer { Tokenizer(vocabulary: WorldVocabulary.words) }
}

/// Instruction data for the base model: questions of every family (captions included, weighted by a
/// `QuestionMix`) about training scenes, answered with ground truth. It never contains a preference, a
/// judgement or a benchmark item.
public enum InstructionData {
    /// Training scenes come from stream 1 of the world seed; benchmarks use other streams.
    public static func examples(seed: UInt64, scenes: Int, world: WorldConfig, tokenizer: Tokenizer, patch: Int = 8,
                                mix: QuestionMix = .uniform, perScene: Int = 3) -> [Example] {
        var out: [Example] = []
        for i in 0..<scenes {
            let scene = SceneGenerator.scene(seed: seed, index: i, config: world)
            let patches = Patches.features(rgb: Renderer.render(scene).pixels, size: world.imageSize, patch: patch)
            var rng = WorldRandom(seed: seed, stream: RandomStream.instructions, index: UInt64(i))
            var made = 0, tries = 0
            while made < perScene && tries < perScene * 4 {
                tries += 1
                guard let q = mix.question(about: scene, rng: &rng, vocabulary: world) else { continue }
                let answer = tokenizer.encode(q.answer)
                let weighted = !q.family.isOpenEnded && mix.closedWeight != 1
                out.append(Example(patches: patches, prompt: Prompts.question(q.text, tokenizer), completion: answer,
                                   emphasized: weighted ? 0..<(answer.count + 1) : 0..<0, emphasis: weighted ? mix.closedWeight : 1))
                made += 1
            }
        }
        return out
    }

    /// The first `count` examples of the base model's instruction data on `world`'s training scenes
    /// (three questions a scene, asked by `mix`), the replay `judge.train` mixes into a judge's training set.
    public static func replay(_ count: Int, world: WorldRef, tokenizer: Tokenizer, patch: Int, mix: QuestionMix = .uniform) -> [Example] {
        guard count > 0 else { return [] }
        var scenes = (count + 2) / 3, out: [Example] = []
        // A scene yields fewer than three questions only when the world allows few; a pass that adds
        // nothing ends the search with what there is.
        while out.count < count {
            let more = examples(seed: world.seed, scenes: scenes, world: world.world, tokenizer: tokenizer, patch: patch, mix: mix)
            if more.count <= out.count { break }
            out = more
            scenes += (count - out.count + 2) / 3
        }
        return Array(out.prefix(count))
    }
}
