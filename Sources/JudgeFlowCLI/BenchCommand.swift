import Foundation
import JudgeEval

/// `judgeflow bench lint DIR|FILE.jsonl [--json]`: checks a benchmark for items a judge can decide without
/// the image (`BenchmarkLint`: out-of-world words, another answer type, a length difference). Prints one
/// `FILE:LINE: rule: message` per finding and a summary; exit 0 when clean, 1 with findings, 2 when the
/// benchmark cannot be read. `import` prints the same summary for what it imported.
enum BenchCommand {
    /// `--json`'s output.
    struct Report: Encodable {
        struct Row: Encodable {
            var line: Int
            var item: String
            var rule: String
            var message: String
        }
        var file: String
        var items: Int
        /// Whether the benchmark names its vocabulary (else out-of-world words were not checked).
        var vocabulary: Bool
        var findings: [Row]
    }

    static let usage = "usage: judgeflow bench lint DIR|FILE.jsonl [--json]"

    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        guard argv.first == "lint" else { throw .usage(usage) }
        let args = try Arguments(Array(argv.dropFirst()), valued: [], booleans: ["--json"])
        guard args.positionals.count == 1 else { throw .usage(usage) }
        var isDirectory: ObjCBool = false
        let target = args.positionals[0]
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { throw .usage("\(target): no such file or directory") }
        let directory = isDirectory.boolValue ? target : (target as NSString).deletingLastPathComponent
        let file = isDirectory.boolValue ? target + "/items.jsonl" : target
        let items: [BenchmarkItem]
        do { items = try BenchmarkFile.read(file) } catch { throw .usage(error.description) }
        let description: BenchmarkDescription?
        do { description = try BenchmarkDescription.read(directory: directory.isEmpty ? "." : directory) } catch { throw .usage(error.description) }
        let findings = BenchmarkLint.check(items, vocabulary: description?.vocabulary)
        if args.flag("--json") {
            let report = Report(file: file, items: items.count, vocabulary: description?.vocabulary != nil,
                                findings: findings.map { .init(line: $0.index + 1, item: $0.item, rule: $0.rule.rawValue, message: $0.message) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self))
        } else {
            for f in findings { print("\(file):\(f.index + 1): \(f.rule.rawValue): \(f.message) (item \(f.item))") }
            print(summary(findings, items: items.count, vocabulary: description?.vocabulary != nil))
        }
        return findings.isEmpty ? 0 : 1
    }

    /// `N items: clean` or `N items, K flagged: out-of-world a, answer-type b, length c`, and a note when
    /// out-of-world words could not be checked.
    static func summary(_ findings: [BenchmarkLint.Finding], items: Int, vocabulary: Bool) -> String {
        let flagged = Set(findings.map(\.index)).count
        var line = flagged == 0 ? "\(items) items: clean"
            : "\(items) items, \(flagged) flagged: " + BenchmarkLint.Rule.allCases.filter { vocabulary || $0 != .outOfWorld }.map { rule in
                "\(rule.rawValue) \(findings.filter { $0.rule == rule }.count)"
            }.joined(separator: ", ")
        if !vocabulary { line += " (no vocabulary in benchmark.json: out-of-world words not checked)" }
        return line
    }
}
