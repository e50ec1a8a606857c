import Foundation
import Testing

/// `judgeflow eval` on files a user did not make with this JudgeFlow: a clean error (exit 1) naming what
/// is wrong, never a signal from the unchecked model code.
@Suite struct UntrustedInputTests {
    @Test func evalRefusesABenchmarkWhoseImagesAreNotTheJudgesSize() {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            with: {image_size: 48, grid: 3, max_objects: 2, items_per_category: 2}
        """)
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        let r = p.judgeflow("eval", "--judge", "base", "--bench", "bench")
        #expect(r.status == 1 && r.stderr.contains("is 48×48 pixels, but the judge reads 24×24"), "\(r.stderr)")
    }

    @Test func evalRefusesACheckpointWhosePatchIsZero() throws {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            with: {<<: *world, items_per_category: 2}
        """)
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        let show = p.judgeflow("show", "base", "--workflow", "wf.yaml", "--json")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let digest = try #require(((shown["outputs"] as? [String: Any])?["model"] as? [String: Any])?["digest"] as? String)
        let bytes = try #require(FileManager.default.contents(atPath: p.directory + "/artifacts/objects/\(digest.prefix(2))/\(digest)"))
        try Data(editingConfig(of: Array(bytes)) { $0["patch"] = 0 }).write(to: URL(fileURLWithPath: p.directory + "/crafted.safetensors"))
        let r = p.judgeflow("eval", "--judge", "crafted.safetensors", "--bench", "bench")
        #expect(r.status == 1 && r.stderr.contains("checkpoint config: patch 0 must be positive and divide imageSize 24"), "\(r.stderr)")
    }

    /// The safetensors file with its `__metadata__.config` JSON edited (the header is rewritten, the data kept).
    func editingConfig(of bytes: [UInt8], _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        var metadata = try #require(header["__metadata__"] as? [String: String])
        let text = try #require(metadata["config"])
        var config = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        edit(&config)
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        header["__metadata__"] = metadata
        var json = Array(try JSONSerialization.data(withJSONObject: header))
        json += [UInt8](repeating: 32, count: (8 - json.count % 8) % 8)
        let size = (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) }
        return size + json + bytes[(8 + length)...]
    }
}
