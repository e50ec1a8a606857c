import Foundation

/// `benchmark.json` beside a benchmark directory's `items.jsonl`: which benchmark it is, so metrics
/// computed on it can say so. `world.benchmark` writes it; an imported benchmark may carry one (only
/// `style` is needed) or none, in which case the directory's name stands in.
public struct BenchmarkDescription: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public static let fileName = "benchmark.json"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): error: \(message)" }
    }

    public var version: Int?
    /// `vl-rewardbench`, `multimodal-rewardbench`, or an imported benchmark's own name.
    public var style: String
    public var itemsPerCategory: Int?
    public var seed: Int?

    enum CodingKeys: String, CodingKey {
        case version, style, seed
        case itemsPerCategory = "items_per_category"
    }

    public init(style: String, itemsPerCategory: Int? = nil, seed: Int? = nil) {
        self.version = Self.formatVersion
        self.style = style
        self.itemsPerCategory = itemsPerCategory
        self.seed = seed
    }

    /// Sorted keys, pretty-printed: equal descriptions are equal bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// The benchmark's name for reports: `style` from the directory's `benchmark.json`, else the
    /// directory's last path component. A `benchmark.json` that does not parse is an error, not a fallback.
    public static func name(ofDirectory directory: String) throws(Failure) -> String {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            return URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        }
        do { return try JSONDecoder().decode(BenchmarkDescription.self, from: data).style } catch {
            throw Failure(path: path, message: "not a benchmark description; it needs a string `style` "
                          + "(optional: version, items_per_category, seed)")
        }
    }
}
