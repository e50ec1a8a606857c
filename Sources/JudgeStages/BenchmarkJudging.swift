import Foundation
import JudgeEval
import ModelBackend
import NodeKit
import SyntheticWorld
import TinyVLM

/// A model judge run over benchmark items: each item's PNG (relative to `directory`) becomes the judge's
/// patches, and the judge's margins become verdicts in both response orders. Shared by `judge.eval` and
/// `judgeflow eval --judge CHECKPOINT`. An image must be exactly the model's `imageSize` on both sides:
/// one of another size is an error naming the item, never resized (docs/benchmarks.md).
public enum BenchmarkJudging {
    public enum Failure: Error, CustomStringConvertible {
        case missingImage(item: String, path: String)
        case badImage(item: String, path: String, why: String)
        case wrongImageSize(item: String, path: String, width: Int, height: Int, expected: Int)
        public var description: String {
            switch self {
            case .missingImage(let item, let path): "item \(item): missing image \(path)"
            case .badImage(let item, let path, let why): "item \(item): image \(path): \(why)"
            case .wrongImageSize(let item, let path, let width, let height, let expected):
                "item \(item): image \(path) is \(width)×\(height) pixels, but the judge reads \(expected)×\(expected) "
                    + "(its checkpoint's imageSize); render or resize the benchmark's images to \(expected)×\(expected)"
            }
        }
    }

    public static func judge(_ items: [BenchmarkItem], directory: String, model: Model, checks: CellChecks.Layout = .default,
                             progress: (Double) -> Void = { _ in }) throws -> [ItemJudgement] {
        var judge = Judge(model: model)
        judge.checks = checks
        var judgements: [ItemJudgement] = []
        for start in stride(from: 0, to: items.count, by: 64) {
            let chunk = Array(items[start..<min(items.count, start + 64)])
            let inputs = try chunk.map { item in
                Judge.Input(patches: try patches(item, directory: directory, config: model.config),
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

    /// A served judge (`backend: openai` params, as `judge.eval` declares them) over benchmark items, each
    /// image file sent as it is; `send` runs a batch of requests. Shared by `judge.eval` and `judgeflow eval --judge URL`.
    public static func judgeServed(_ items: [BenchmarkItem], directory: String, params: [String: Value],
                                   send: ([ChatRequest], String) throws -> [ChatResponse]) throws -> ([ItemJudgement], VerdictTally) {
        var tally = VerdictTally()
        let inputs = try items.map { item in
            RemoteJudge.Item(image: try imageBytes(item, directory: directory), question: item.query, responses: (item.responses[0], item.responses[1]))
        }
        let judged = try RemoteJudge(params).judge(inputs, tally: &tally, send: send)
        return (zip(items, judged).map { ItemJudgement(item: $0, straight: $1.straight.verdict, swapped: $1.swapped.verdict) }, tally)
    }

    /// The item's image file as it is (what a served judge is shown; the server decodes and resizes it).
    static func imageBytes(_ item: BenchmarkItem, directory: String) throws(Failure) -> [UInt8] {
        let path = directory + "/" + item.image
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingImage(item: item.id, path: path) }
        return Array(data)
    }

    /// The item's image as the model's patch features, after checking it decodes and has the model's size.
    static func patches(_ item: BenchmarkItem, directory: String, config: ModelConfig) throws(Failure) -> [Float] {
        let path = directory + "/" + item.image
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingImage(item: item.id, path: path) }
        let image: RGBImage
        do { image = try PNG.decode(Array(data)) } catch { throw .badImage(item: item.id, path: path, why: error.description) }
        guard image.width == config.imageSize, image.height == config.imageSize else {
            throw .wrongImageSize(item: item.id, path: path, width: image.width, height: image.height, expected: config.imageSize)
        }
        return Patches.features(rgb: image.pixels, size: config.imageSize, patch: config.patch)
    }
}
