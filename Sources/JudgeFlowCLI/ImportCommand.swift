import Foundation
import JudgeEval

/// `judgeflow import FILE -o DIR [--format F] [--images DIR] [--name NAME]`: turns a benchmark file as
/// its release ships it (VLMEvalKit's VL-RewardBench TSV, the VL-RewardBench parquet converted to JSON
/// lines, Multimodal RewardBench's all_data.json) into a benchmark directory — `items.jsonl`, `images/`,
/// `benchmark.json` — that `eval` and `judge.eval` read. The parsing is JudgeEval's `BenchmarkImport`.
enum ImportCommand {
    static let usage = "usage: judgeflow import FILE -o DIR [--format vl-rewardbench|multimodal-rewardbench] [--images DIR] [--name NAME]"

    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--output", "--format", "--images", "--name"], booleans: [], aliases: ["-o": "--output"])
        guard args.positionals.count == 1, let output = args.value("--output") else { throw .usage(usage) }
        let source = args.positionals[0]
        let imported = try parse(source, format: args.value("--format"))
        try write(imported, source: source, to: output, images: args.value("--images"), name: args.value("--name"))
        var counts: [String: Int] = [:]
        for item in imported.items { counts[item.category, default: 0] += 1 }
        let categories = counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
        print("imported \(imported.items.count) items (\(categories)) and \(imported.images.count) images into \(output)")
        print("lint: " + BenchCommand.summary(BenchmarkLint.check(imported.items, vocabulary: nil), items: imported.items.count, vocabulary: false)
              + " — `judgeflow bench lint \(output)` lists them")
        return 0
    }

    /// Reads and parses FILE; `format` nil lets the content decide. Bad input is a usage error (exit 2)
    /// rendered as `FILE:LINE:1: error: record N: …`.
    static func parse(_ path: String, format: String?) throws(CLIError) -> ImportedBenchmark {
        var chosen: BenchmarkImport.Format?
        if let format {
            guard let known = BenchmarkImport.Format(rawValue: format) else {
                throw .usage("unknown --format '\(format)'; use " + BenchmarkImport.Format.allCases.map(\.rawValue).joined(separator: " or "))
            }
            chosen = known
        }
        let limits = BenchmarkImport.Limits()
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limits.fileBytes else { throw .usage("\(path): error: the file has \(size) bytes, more than the \(limits.fileBytes) an import reads") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .usage("cannot read \(path)") }
        do { return try BenchmarkImport.parse([UInt8](data), format: chosen, limits: limits) } catch {
            throw .usage(error.rendered(source: path))
        }
    }

    /// Image paths in the file are relative to `images` (default: the file's directory).
    static func write(_ imported: ImportedBenchmark, source: String, to directory: String, images: String?, name: String?) throws(CLIError) {
        do {
            try imported.write(to: directory, imagesRoot: images ?? (source as NSString).deletingLastPathComponent.nonEmpty ?? ".",
                               name: name ?? imported.format.displayName)
        } catch {
            if case .output = error.place { throw .failed(error.rendered(source: source)) }
            throw .usage(error.rendered(source: source))
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
