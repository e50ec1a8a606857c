import ArtifactStore
import Foundation
import Compute
import JudgeEval
import JudgeStages
import TinyVLM

/// `judgeflow eval --judge JUDGE --bench BENCH [--json]`: scores a judge on a benchmark in both response
/// orders. BENCH is a `.jsonl` file, a directory holding `items.jsonl`, or a node (`node` or
/// `node.output`) whose latest recorded output is a benchmark. JUDGE is a reference judge (`random`,
/// `longer`), a model checkpoint (`.safetensors`), or a node whose latest recorded output is one
/// (`judge@4`, `base`). `--format vl-rewardbench|multimodal-rewardbench` reads BENCH as a release's file
/// (`ImportCommand`), with image paths relative to `--images`. JUDGE may also be a served model: an
/// OpenAI-compatible base URL with `--model NAME` (and `--verdict-constraint grammar|guided-choice`,
/// `--api-key-env VAR`, `--max-tokens N`), judged as `judge.eval` with `backend: openai` judges.
/// `--checks word-verdicts|interleaved|sequential` reads a model judge with the check layout it was
/// trained with (`judge.train`'s `checks`; default word-verdicts).
enum EvalCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--judge", "--bench", "--store", "--seed", "--format", "--images", "--model",
                                                "--verdict-constraint", "--api-key-env", "--max-tokens", "--checks"], booleans: ["--json"])
        guard let judge = args.value("--judge"), let bench = args.value("--bench") else {
            throw .usage("usage: judgeflow eval --judge random|longer|MODEL.safetensors|NODE|URL --bench FILE.jsonl|DIR|NODE "
                         + "[--format judgeflow|vl-rewardbench|multimodal-rewardbench] [--images DIR] [--checks " + CellChecks.Layout.choices + "] [--json]\n"
                         + "       a served judge: --judge http://HOST:PORT/v1 --model NAME [--verdict-constraint grammar|guided-choice] "
                         + "[--api-key-env VAR] [--max-tokens N]")
        }
        let checks = CellChecks.Layout(rawValue: args.value("--checks") ?? CellChecks.Layout.default.rawValue)
        guard let checks else { throw .usage("unknown --checks '\(args.value("--checks") ?? "")'; use " + CellChecks.Layout.choices) }
        let path = try storedFile(bench, args, treeFile: "items.jsonl")
        let format = args.value("--format") ?? "judgeflow"
        var imported: ImportedBenchmark?
        let items: [BenchmarkItem]
        if format == "judgeflow" {
            do { items = try BenchmarkFile.read(path) } catch { throw .usage(error.description) }
        } else {
            guard BenchmarkImport.Format(rawValue: format) != nil else {
                throw .usage("unknown --format '\(format)'; use judgeflow, vl-rewardbench or multimodal-rewardbench")
            }
            imported = try ImportCommand.parse(path, format: format)
            items = imported?.items ?? []
        }
        var judgements: [ItemJudgement] = []
        var tally: VerdictTally?
        let served = judge.hasPrefix("http://") || judge.hasPrefix("https://")
        switch judge {
        case _ where served:
            var directory = (path as NSString).deletingLastPathComponent
            if let imported {
                let store = try CLI.openStore(args)
                do { directory = try store.makeWorkDirectory() + "/imported" } catch { throw .store(error) }
                try ImportCommand.write(imported, source: path, to: directory, images: args.value("--images"), name: nil)
            }
            (judgements, tally) = try ServedJudge.judge(items, directory: directory, endpoint: judge, args)
        case "random": judgements = ReferenceJudges.random(items, seed: UInt64(args.value("--seed") ?? "0") ?? 0)
        case "longer": judgements = ReferenceJudges.longer(items)
        default:
            let checkpoint = try storedFile(judge, args, treeFile: nil)
            var directory = (path as NSString).deletingLastPathComponent
            if let imported {
                // A model reads image files: a release's file is imported into a scratch directory first.
                let store = try CLI.openStore(args)
                do { directory = try store.makeWorkDirectory() + "/imported" } catch { throw .store(error) }
                try ImportCommand.write(imported, source: path, to: directory, images: args.value("--images"), name: nil)
            }
            do {
                // Verdicts do not depend on the thread count (the GEMM splits C into disjoint ranges).
                let threads = ProcessInfo.processInfo.activeProcessorCount
                let model = try Checkpoint.load(checkpoint, threads: threads)
                judgements = try BenchmarkJudging.judge(items, directory: directory, model: model, checks: checks)
            } catch {
                throw .failed("judge \(judge): \(error)")
            }
        }
        let m = BenchmarkMetrics.score(judgements)
        if args.flag("--json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: (try? encoder.encode(m)) ?? Data(), as: UTF8.self))
            if let tally { FileHandle.standardError.write(Data((tally.line + "\n").utf8)) }
        } else {
            print(table(m, judge: judge, bench: path) + (tally.map { "\n\n" + $0.line } ?? ""))
        }
        return 0
    }

    static func table(_ m: BenchmarkMetrics, judge: String, bench: String) -> String {
        var lines = ["judge \(judge) on \(bench) (\(m.items) items, each judged in both orders)", "",
                     "| category | accuracy |", "|---|---|"]
        for c in m.categories.keys.sorted() { lines.append(String(format: "| %@ | %.3f |", c, m.categories[c]!)) }
        lines += [String(format: "| **overall** (micro, unparseable dropped) | %.3f |", m.overall),
                  String(format: "| **macro** | %.3f |", m.macro),
                  String(format: "| overall, unparseable as coin flip | %.3f |", m.overallCoinFlip),
                  String(format: "| position consistency | %.3f |", m.positionConsistency),
                  "| unparseable verdicts | \(m.unparseable) |"]
        return lines.joined(separator: "\n")
    }

    /// A file, a directory (holding `treeFile`), or a node output from the store (materialized under tmp/).
    static func storedFile(_ reference: String, _ args: Arguments, treeFile: String?) throws(CLIError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? reference + "/" + (treeFile ?? "") : reference
        }
        let store = try CLI.openStore(args)
        let name = reference.split(separator: ".", maxSplits: 1).map(String.init)
        guard let record = try CLI.allWorkflowRecords(store).map(\.record).filter({ $0.nodes[name[0]] != nil }).max(by: { $0.updated < $1.updated }),
              let key = record.nodes[name[0]]?.key, let manifest = store.manifest(for: key) else {
            throw .usage("'\(reference)' is neither a file nor a node with a stored output in \(store.root)")
        }
        guard let ref = name.count > 1 ? manifest.outputs[name[1]] : manifest.outputs.values.first, manifest.outputs.count == 1 || name.count > 1 else {
            throw .usage("node '\(name[0])' has outputs \(manifest.outputs.keys.sorted().joined(separator: ", ")); name one as node.output")
        }
        do {
            let directory = try store.makeWorkDirectory() + "/reference"
            try store.materialize(ref, at: directory)
            return ref.isTree ? directory + "/" + (treeFile ?? "") : directory
        } catch {
            throw .store(error)
        }
    }
}
