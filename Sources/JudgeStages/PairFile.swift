import Foundation
import SyntheticWorld
import TinyVLM

/// A synthetic preference pair, as the synthesis nodes write it (JSON Lines). The image is scene
/// `scene` of the training world described in the directory's `world.json`.
public struct Pair: Codable, Sendable, Equatable {
    public var scene: Int
    public var family: String
    public var question: String
    public var preferred: String
    public var rejected: String
    /// `majority` (closed-ended) or `injected:<kind>` (open-ended).
    public var source: String
    /// Ground truth, kept for analysis and for the `correct-answer` ablation only; the judge never sees it.
    public var truth: String

    public init(scene: Int, family: String, question: String, preferred: String, rejected: String, source: String, truth: String) {
        self.scene = scene
        self.family = family
        self.question = question
        self.preferred = preferred
        self.rejected = rejected
        self.source = source
        self.truth = truth
    }
}

/// Where the pairs' images come from.
public struct WorldRef: Codable, Sendable, Equatable {
    public var seed: UInt64
    public var world: WorldConfig

    public init(seed: UInt64, world: WorldConfig) {
        self.seed = seed
        self.world = world
    }

    /// The scene's image as the patch features of a model with `patch`-pixel patches.
    public func patches(_ scene: Int, patch: Int) -> [Float] {
        let s = SceneGenerator.scene(seed: seed, index: scene, config: world)
        return Patches.features(rgb: Renderer.render(s).pixels, size: world.imageSize, patch: patch)
    }

    /// The scene's image as PNG bytes (what a served model is shown).
    public func png(_ scene: Int) -> [UInt8] {
        PNG.encode(Renderer.render(SceneGenerator.scene(seed: seed, index: scene, config: world)))
    }
}

/// Reading and writing a directory of JSON Lines records plus `world.json`.
enum RecordDirectory {
    static func write<T: Encodable>(_ records: [T], world: WorldRef, to directory: String, file: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        for r in records {
            out += try encoder.encode(r)
            out += Data("\n".utf8)
        }
        try out.write(to: URL(fileURLWithPath: directory + "/" + file))
        try encoder.encode(world).write(to: URL(fileURLWithPath: directory + "/world.json"))
    }

    static func read<T: Decodable>(_ type: T.Type, from directory: String, file: String) throws -> ([T], WorldRef) {
        let decoder = JSONDecoder()
        guard let data = FileManager.default.contents(atPath: directory + "/" + file),
              let worldData = FileManager.default.contents(atPath: directory + "/world.json") else {
            throw NodeFailure("\(directory) lacks \(file) or world.json")
        }
        let world = try decoder.decode(WorldRef.self, from: worldData)
        let records = try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
        return (records, world)
    }
}

struct NodeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
