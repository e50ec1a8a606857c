import Foundation
import JudgeEval
import SyntheticWorld
import TinyVLM

/// A model judge run over benchmark items: each item's PNG (relative to `directory`) becomes the judge's
/// patches, and the judge's margins become verdicts in both response orders. Shared by `judge.eval` and
/// `judgeflow eval --judge CHECKPOINT`.
public enum BenchmarkJudging {
    public enum Failure: Error, CustomStringConvertible {
        case missingImage(String)
        case badImage(String, String)
        public var description: String {
            switch self {
            case .missingImage(let path): "missing image \(path)"
            case .badImage(let path, let why): "image \(path): \(why)"
            }
        }
    }

    public static func judge(_ items: [BenchmarkItem], directory: String, model: Model,
                             progress: (Double) -> Void = { _ in }) throws -> [ItemJudgement] {
        let judge = Judge(model: model)
        var judgements: [ItemJudgement] = []
        for start in stride(from: 0, to: items.count, by: 64) {
            let chunk = Array(items[start..<min(items.count, start + 64)])
            let inputs = try chunk.map { item -> Judge.Input in
                let path = directory + "/" + item.image
                guard let data = FileManager.default.contents(atPath: path) else { throw Failure.missingImage(path) }
                let image: RGBImage
                do { image = try PNG.decode(Array(data)) } catch { throw Failure.badImage(path, "\(error)") }
                return Judge.Input(patches: Patches.features(rgb: image.pixels, size: image.width, patch: model.config.patch),
                                   question: item.query, responses: (item.responses[0], item.responses[1]))
            }
            for (item, out) in zip(chunk, judge.judge(inputs)) {
                judgements.append(ItemJudgement(item: item, straight: out.straight > 0 ? .first : .second,
                                                swapped: out.swapped > 0 ? .first : .second))
            }
            progress(Double(judgements.count) / Double(items.count))
        }
        return judgements
    }
}
