import Foundation
import JudgeEval
import JudgeStages
@testable import SyntheticWorld
import Testing
import TinyVLM

/// Benchmark images are untrusted and the model reads them without bounds checks: an image that does not
/// decode, or is not exactly the model's size, is an error naming the item, never judged.
@Suite struct BenchmarkImageTests {
    /// A 24-pixel judge, like the shipped workflows' world.
    static let model: Model = {
        let tokenizer = Prompts.worldTokenizer()
        let config = ModelConfig(vocab: tokenizer.count, d: 8, layers: 1, heads: 2, maxText: 96, imageSize: 24)
        return Model(config: config, tokenizer: tokenizer, seed: 1)
    }()

    /// The reproducer's benchmark: one item whose image is `png`, in a fresh directory.
    func judge(png: [UInt8]) throws -> [ItemJudgement] {
        let directory = NSTemporaryDirectory() + "jf-bench-image-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(png).write(to: URL(fileURLWithPath: directory + "/i.png"))
        let item = BenchmarkItem(id: "1", category: "general", image: "i.png", query: "how many objects are there ?",
                                 responses: ["one", "two"], preferred: 0)
        return try BenchmarkJudging.judge([item], directory: directory, model: Self.model)
    }

    /// A grey RGB PNG whose IHDR chunk keeps only its first `ihdrLength` bytes.
    func png(width: Int, height: Int, ihdrLength: Int = 13) -> [UInt8] {
        let raw = (0..<height).flatMap { _ in [0] + [UInt8](repeating: 128, count: width * 3) }
        var out = PNG.signature
        PNG.chunk("IHDR", Array((PNG.bigEndian(UInt32(width)) + PNG.bigEndian(UInt32(height)) + [8, 2, 0, 0, 0]).prefix(ihdrLength)), into: &out)
        PNG.chunk("IDAT", PNG.deflate(raw), into: &out)
        PNG.chunk("IEND", [], into: &out)
        return out
    }

    @Test func anImageOfTheModelsSizeIsJudged() throws {
        #expect(try judge(png: png(width: 24, height: 24)).count == 1)
    }

    @Test(arguments: [(2048, 4), (24, 12), (48, 48)])
    func anImageOfAnotherSizeIsAnErrorNamingTheItemAndBothSizes(width: Int, height: Int) {
        let error = #expect(throws: BenchmarkJudging.Failure.self) { try judge(png: png(width: width, height: height)) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("item 1: image ") && text.contains("is \(width)×\(height) pixels, but the judge reads 24×24"), "\(text)")
    }

    @Test(arguments: [0, 8])
    func aShortIHDRIsAnErrorNamingTheItem(ihdrLength: Int) {
        let error = #expect(throws: BenchmarkJudging.Failure.self) { try judge(png: png(width: 24, height: 24, ihdrLength: ihdrLength)) }
        #expect(error?.description.hasSuffix("corrupt PNG: the IHDR chunk holds \(ihdrLength) bytes; it must hold 13") == true)
    }

    @Test func aHugeImageIsRefusedByTheDecoder() {
        let error = #expect(throws: BenchmarkJudging.Failure.self) { try judge(png: png(width: 100_000, height: 1)) }
        #expect(error?.description.contains("PNG image 100000×1 is too large") == true)
    }
}
