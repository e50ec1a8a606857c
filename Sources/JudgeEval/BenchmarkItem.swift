import Foundation

/// One pairwise item: an image, a query, two responses and which one is better.
public struct BenchmarkItem: Codable, Sendable, Hashable {
    public static let formatVersion = 1
    public var version: Int = BenchmarkItem.formatVersion
    public var id: String
    public var category: String
    /// A path relative to the benchmark file (PNG for the embedded world).
    public var image: String
    public var query: String
    public var responses: [String]
    /// 0 or 1: the index in `responses` of the better one.
    public var preferred: Int
    /// Optional provenance: question family, error type, which model produced the worse response.
    public var source: String?

    public init(id: String, category: String, image: String, query: String, responses: [String], preferred: Int,
                source: String? = nil) {
        self.id = id
        self.category = category
        self.image = image
        self.query = query
        self.responses = responses
        self.preferred = preferred
        self.source = source
    }
}

public enum BenchmarkFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var message: String
        public var description: String { "\(path):\(line):1: error: \(message)" }
    }

    /// Reads a JudgeFlow benchmark (`.jsonl`), checking every line; the first bad line is reported with its number.
    public static func read(_ path: String) throws(Failure) -> [BenchmarkItem] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(path: path, line: 1, message: "cannot read the benchmark file")
        }
        var items: [BenchmarkItem] = []
        let decoder = JSONDecoder()
        for (n, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            let item: BenchmarkItem
            do { item = try decoder.decode(BenchmarkItem.self, from: Data(line)) } catch {
                throw Failure(path: path, line: n + 1, message: "not a benchmark item (\(error.localizedDescription)); "
                              + "fields: version, id, category, image, query, responses, preferred — see docs/benchmarks.md")
            }
            guard item.version == BenchmarkItem.formatVersion else {
                throw Failure(path: path, line: n + 1, message: "item format version \(item.version) is not \(BenchmarkItem.formatVersion)")
            }
            guard item.responses.count == 2, (0...1).contains(item.preferred) else {
                throw Failure(path: path, line: n + 1, message: "an item needs exactly two responses and preferred 0 or 1")
            }
            items.append(item)
        }
        return items
    }

    /// One item a line, keys sorted, so equal benchmarks are equal bytes.
    public static func encode(_ items: [BenchmarkItem]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out: [UInt8] = []
        for item in items {
            out += Array((try? encoder.encode(item)) ?? Data())
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
