import Foundation

/// Imports the public judge benchmarks in the files their releases ship, into JudgeFlow's format:
/// VL-RewardBench as VLMEvalKit's TSV (images inline, base64) or as the Hugging Face parquet turned into
/// JSON lines by the one-line command in docs/benchmarks.md (images inline, base64), and Multimodal
/// RewardBench's `all_data.json` (images as paths under the release's `data/` directory). Parsing is pure
/// (bytes in, items and image sources out); `ImportedBenchmark.write` is the one place that touches files.
/// Every failure names its line and record and says what to do; inputs are bounded by `Limits`.
public enum BenchmarkImport {
    public enum Format: String, Sendable, CaseIterable {
        case vlRewardBench = "vl-rewardbench"
        case multimodalRewardBench = "multimodal-rewardbench"

        /// The benchmark's name in `benchmark.json`, and so in reports.
        public var displayName: String {
            switch self {
            case .vlRewardBench: "VL-RewardBench"
            case .multimodalRewardBench: "Multimodal-RewardBench"
            }
        }
    }

    /// Bounds on untrusted input, checked before anything is allocated for it.
    public struct Limits: Sendable {
        public var fileBytes = 2 << 30
        public var imageBytes = 64 << 20
        public var textBytes = 1 << 20
        public var items = 100_000
        public init() {}
    }

    /// Where an item's image comes from: bytes carried in the file, or a path relative to the images
    /// directory the user names (for Multimodal RewardBench, the release's `data/`).
    public enum ImageSource: Sendable, Hashable {
        case embedded([UInt8])
        case file(String)
    }

    public struct Image: Sendable, Hashable {
        /// Where the image goes, relative to the benchmark directory (`images/000001.jpg`).
        public var path: String
        public var source: ImageSource
        /// The first item that uses it, for errors.
        public var line: Int
        public var record: Int
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Place: Sendable, Equatable {
            case file
            case line(Int)
            /// Record number (1-based, in file order) and the line it starts on.
            case record(Int, line: Int)
            case output(String)
        }
        public var place: Place
        public var message: String
        public var hint: String?

        public init(_ place: Place, _ message: String, hint: String? = nil) {
            self.place = place
            self.message = message
            self.hint = hint
        }

        public var description: String { rendered(source: "input") }

        /// `SOURCE:LINE:1: error: record N: message; hint` — the one rendering users see.
        public func rendered(source: String) -> String {
            let tail = message + (hint.map { "; " + $0 } ?? "")
            switch place {
            case .file: return "\(source): error: \(tail)"
            case .line(let line): return "\(source):\(line):1: error: \(tail)"
            case .record(let n, let line): return "\(source):\(line):1: error: record \(n): \(tail)"
            case .output(let path): return "\(path): error: \(tail)"
            }
        }
    }

    /// One JSON object or TSV row, with where it starts.
    struct Record {
        var number: Int
        var line: Int
        var fields: [String: Any]
        var place: Failure.Place { .record(number, line: line) }
    }

    /// Reads `bytes` in the layout `format` names, or, when `format` is nil, the layout its content shows:
    /// a TSV (the first byte is not `[` or `{`) is VLMEvalKit's VL-RewardBench; JSON records with
    /// `human_ranking` are VL-RewardBench, with `Output1` Multimodal RewardBench.
    public static func parse(_ bytes: [UInt8], format: Format?, limits: Limits = Limits()) throws(Failure) -> ImportedBenchmark {
        guard bytes.count <= limits.fileBytes else {
            throw Failure(.file, "the file has \(bytes.count) bytes, more than the \(limits.fileBytes) an import reads")
        }
        let first = bytes.first { ![32, 9, 10, 13].contains($0) }
        guard first == UInt8(ascii: "[") || first == UInt8(ascii: "{") else {
            guard format != .multimodalRewardBench else {
                throw Failure(.line(1), "not JSON", hint: "Multimodal RewardBench's release is a JSON array (data/all_data.json)")
            }
            return try vlRewardBenchTSV(bytes, limits: limits)
        }
        let records = first == UInt8(ascii: "[") ? try jsonArray(bytes, limits: limits) : try jsonLines(bytes, limits: limits)
        guard let head = records.first else { throw Failure(.file, "the file holds no records") }
        let chosen: Format
        if let format { chosen = format } else if head.fields["Output1"] != nil {
            chosen = .multimodalRewardBench
        } else if head.fields["human_ranking"] != nil {
            chosen = .vlRewardBench
        } else {
            throw Failure(head.place, "cannot tell which benchmark this is (no `human_ranking`, no `Output1`)",
                          hint: "pass --format vl-rewardbench or multimodal-rewardbench")
        }
        switch chosen {
        case .vlRewardBench: return try vlRewardBenchJSON(records, limits: limits)
        case .multimodalRewardBench: return try multimodalRewardBench(records, limits: limits)
        }
    }

    static func jsonLines(_ bytes: [UInt8], limits: Limits) throws(Failure) -> [Record] {
        var records: [Record] = []
        for (n, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ [32, 9, 13].contains($0) }) { continue }
            guard records.count < limits.items else { throw Failure(.line(n + 1), "more than \(limits.items) records") }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw Failure(.line(n + 1), "not a JSON object", hint: "JSON lines hold one object per line")
            }
            records.append(Record(number: records.count + 1, line: n + 1, fields: object))
        }
        return records
    }

    static func jsonArray(_ bytes: [UInt8], limits: Limits) throws(Failure) -> [Record] {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw Failure(.file, "not valid JSON (\(error.localizedDescription))")
        }
        guard let array = parsed as? [Any] else { throw Failure(.line(1), "not a JSON array") }
        guard array.count <= limits.items else { throw Failure(.file, "more than \(limits.items) records") }
        let lines = arrayElementLines(bytes)
        var records: [Record] = []
        for (n, element) in array.enumerated() {
            let line = n < lines.count ? lines[n] : 1
            guard let object = element as? [String: Any] else { throw Failure(.record(n + 1, line: line), "not a JSON object") }
            records.append(Record(number: n + 1, line: line, fields: object))
        }
        return records
    }

    /// The line on which each element of a top-level JSON array starts (for located errors). O(n).
    static func arrayElementLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, expecting = false
        for b in bytes {
            if b == 10 { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if depth == 1 && expecting && ![32, 9, 10, 13, UInt8(ascii: ","), UInt8(ascii: "]")].contains(b) {
                lines.append(line)
                expecting = false
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expecting = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expecting = true }
            default: break
            }
        }
        return lines
    }

    // MARK: Field readers shared by the layouts

    static func text(_ r: Record, _ key: String, limits: Limits, hint: String? = nil) throws(Failure) -> String {
        guard let value = r.fields[key] as? String else {
            throw Failure(r.place, r.fields[key] == nil ? "no `\(key)`" : "`\(key)` is not a string", hint: hint)
        }
        guard value.utf8.count <= limits.textBytes else {
            throw Failure(r.place, "`\(key)` is longer than \(limits.textBytes) bytes")
        }
        return value
    }

    /// An image path from the file: relative, inside the images directory (no `..`, not absolute).
    static func relativeImagePath(_ path: String, _ r: Record, field: String) throws(Failure) -> String {
        let parts = path.split(separator: "/")
        guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !path.contains("\0"), path.utf8.count <= 4096 else {
            throw Failure(r.place, "`\(field)` '\(path.prefix(200))' is not a relative path inside the images directory",
                          hint: "image paths may not be absolute or contain '..'")
        }
        return path
    }

    /// Numbers images in order of first use; the same source keeps one file.
    struct ImageTable {
        var images: [Image] = []
        var bySource: [ImageSource: String] = [:]

        mutating func path(for source: ImageSource, fileExtension: String, _ r: Record) -> String {
            if let known = bySource[source] { return known }
            let number = String(images.count + 1)
            let path = "images/" + String(repeating: "0", count: max(0, 6 - number.count)) + number + "." + fileExtension
            bySource[source] = path
            images.append(Image(path: path, source: source, line: r.line, record: r.number))
            return path
        }

        static func fileExtension(ofPath path: String) -> String {
            let ext = (path as NSString).pathExtension.lowercased()
            return !ext.isEmpty && ext.count <= 5 && ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? ext : "img"
        }
    }

    static func checkUnique(_ items: [BenchmarkItem], _ records: [Record]) throws(Failure) {
        var seen: [String: Int] = [:]
        for (item, r) in zip(items, records) {
            if let first = seen[item.id] {
                throw Failure(r.place, "id '\(item.id)' was already used on line \(first)", hint: "ids must be unique")
            }
            seen[item.id] = r.line
        }
    }
}

/// A benchmark read from a release's file: JudgeFlow items whose `image` fields already name where
/// `write` puts each image, and where each image comes from.
public struct ImportedBenchmark: Sendable {
    public var format: BenchmarkImport.Format
    public var items: [BenchmarkItem]
    public var images: [BenchmarkImport.Image]
}
