import Foundation
import JudgeEval
import SyntheticWorld
import TinyVLM

/// Realistic model mistakes for a world benchmark. For a share of the items whose rejected response is
/// a closed answer or a caption/list (categories hallucination, reasoning, correctness, vqa), the rejected
/// response becomes a wrong answer that the embedded model itself sampled — at one of several training
/// stages, round-robin — and that the ground truth labels wrong: a closed answer different from the
/// truth, or a well-formed open answer naming a different set of objects (malformed samples are skipped,
/// since garbage is too easy to spot). Items with no such sample keep their perturbation.
public enum SampledNegatives {
    public static let categories: Set<String> = ["hallucination", "reasoning", "correctness", "vqa"]
    /// Samples drawn per item before giving up on finding a wrong one.
    static let tries = 8

    public static func apply(_ drafts: [BenchmarkBuilder.Draft], builder: BenchmarkBuilder, samplers: [Model], share: Double,
                             seed: UInt64) -> [BenchmarkBuilder.Draft] {
        guard !samplers.isEmpty, share > 0 else { return drafts }
        var rng = WorldRandom(seed: seed, stream: RandomStream.sampledNegatives, index: 0)
        var chosen: [[Int]] = Array(repeating: [], count: samplers.count)
        var next = 0
        for (i, d) in drafts.enumerated() where categories.contains(d.item.category) && Double(rng.below(1 << 20)) < share * Double(1 << 20) {
            chosen[next % samplers.count].append(i)
            next += 1
        }
        var out = drafts
        let vocabulary = WorldVocabulary.drawn(by: builder.world)
        for (k, model) in samplers.enumerated() where !chosen[k].isEmpty {
            let tok = model.tokenizer
            var requests: [GenerationRequest] = []
            for i in chosen[k] {
                let d = drafts[i]
                let patches = Patches.features(rgb: Renderer.render(builder.scene(d.scene)).pixels, size: builder.world.imageSize,
                                               patch: model.config.patch)
                let open = MentionList(d.item.responses[d.item.preferred]) != nil
                for _ in 0..<tries {
                    requests.append(GenerationRequest(patches: patches, prompt: Prompts.question(d.item.query, tok), maxNewTokens: open ? 60 : 8))
                }
            }
            let samples = model.generate(requests, options: SamplingOptions(temperature: 1, seed: seed &+ UInt64(k) &* 0x9E37_79B9,
                                                                            stop: [tok.eos]))
            for (n, i) in chosen[k].enumerated() {
                let truth = drafts[i].item.responses[drafts[i].item.preferred]
                let candidates = samples[n * tries..<(n + 1) * tries].map { tok.decode($0) }
                guard let wrong = candidates.first(where: { isWrong($0, truth: truth, vocabulary: vocabulary) }) else { continue }
                out[i].item.responses[1 - drafts[i].item.preferred] = wrong
                let family = drafts[i].item.source?.split(separator: "/").first.map(String.init) ?? drafts[i].item.category
                out[i].item.source = "\(family)/model-stage-\(k + 1)"
            }
        }
        return out
    }

    /// Whether a sampled answer is a genuine mistake that only looking can expose: one the benchmark lint
    /// passes against the truth (as many words, the same answer type, every word one the world draws in
    /// `vocabulary`), and for open answers well-formed, with as many objects, naming a different multiset
    /// of them. Run-on samples, answers of another type and unfamiliar words do not count.
    static func isWrong(_ answer: String, truth: String, vocabulary: [String: [String]]) -> Bool {
        let a = answer.trimmingCharacters(in: .whitespaces), t = truth.trimmingCharacters(in: .whitespaces)
        guard !a.isEmpty, a != t else { return false }
        let pair = BenchmarkItem(id: "sample", category: "", image: "", query: "", responses: [t, a], preferred: 0)
        guard BenchmarkLint.check([pair], vocabulary: vocabulary).isEmpty else { return false }
        if let truthList = MentionList(t) {
            guard let list = MentionList(a), list.style == truthList.style, list.mentions.count == truthList.mentions.count else { return false }
            return list.mentions.map(\.text).sorted() != truthList.mentions.map(\.text).sorted()
        }
        return true
    }
}
