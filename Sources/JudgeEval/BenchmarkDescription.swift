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
    /// The words a response of this benchmark's world may use, by class (`colour`, `shape`, `size`,
    /// `number`, `other`); a world benchmark records it so `BenchmarkLint` can flag out-of-world words and
    /// tell a colour from a shape. Imported benchmarks have none.
    public var vocabulary: [String: [String]]?

    enum CodingKeys: String, CodingKey {
        case version, style, seed, vocabulary
        case itemsPerCategory = "items_per_category"
    }

    public init(style: String, itemsPerCategory: Int? = nil, seed: Int? = nil, vocabulary: [String: [String]]? = nil) {
        self.version = Self.formatVersion
        self.style = style
        self.itemsPerCategory = itemsPerCategory
        self.seed = seed
        self.vocabulary = vocabulary
    }

    /// The directory's description, or nil when it has no `benchmark.json`.
    public static func read(directory: String) throws(Failure) -> BenchmarkDescription? {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(BenchmarkDescription.self, from: data) } catch {
            throw Failure(path: path, message: "not a benchmark description; it needs a string `style` "
                          + "(optional: version, items_per_category, seed, vocabulary)")
        }
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
        try read(directory: directory)?.style ?? URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
    }
}
