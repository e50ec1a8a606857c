import ArtifactStore
import Foundation
import NodeKit
import WorkflowEngine
import WorkflowPlan
import WorkflowSpec

/// The `judgeflow` entry point: `main` dispatches to one command type per subcommand.
public enum CLI {
    static let usage = """
    judgeflow — declarative, cached workflows for self-improving VLM judges

    usage: judgeflow <command> [options]

    commands:
      run FILE [--set k=v]... [--dry-run] [-j N] [--only NODE]... [--force NODE]... [--fail-fast] [-v] [-q]
               [--executor local|slurm]
                           run a workflow (FILE.yaml, or FILE.lock to reproduce a locked run);
                           a failure skips its dependents and independent nodes still run
                           (keep-going, the default; -k says so explicitly) unless --fail-fast;
                           -j bounds the nodes running at once (default: the core count), and the
                           nodes running at once share the cores; --executor slurm submits each
                           node as a Slurm batch job (-j then bounds the jobs in flight; a stage's
                           own `executor:` wins; docs/cluster.md)
      status FILE [--set k=v]... [--json]
                           list stale nodes and why
      dag FILE [--format text|dot|mermaid] [--json]
                           print the workflow's DAG
      show NODE [--workflow FILE] [--json]
                           params, inputs, outputs with digests and paths, timings and log of a
                           node's last run
      export NODE[.OUTPUT] DIR [--workflow FILE]
                           write a node's outputs out of the store as plain files
      lock FILE [--set k=v]...
                           write FILE.lock: the resolved workflow with every key and digest
      verify [--json]      rehash every stored object; quarantine corrupt ones
      gc [--dry-run]       delete what no workflow's latest run references
      results FILE [--set k=v]... [--json | --markdown] [--compare]
                           the latest run's results: its report node's report.md (--json: report.json),
                           or without one, judge metrics by iteration and benchmark; --compare puts
                           the arms of a matrix side by side (last iteration, macro and categories)
      eval --judge random|longer|MODEL|NODE|URL --bench FILE.jsonl|DIR|NODE [--format F] [--images DIR] [--checks L] [--json]
                           score a judge on a benchmark, both response orders (--format
                           vl-rewardbench|multimodal-rewardbench reads a release's file directly;
                           a URL judge is a served model: --model NAME [--verdict-constraint grammar];
                           --checks word-verdicts|interleaved|sequential: the layout a model judge
                           was trained with)
      serve CHECKPOINT|NODE [--workflow FILE] [--host 127.0.0.1] [--port 8000] [--name NAME] [--checks L]
                           the embedded model behind an OpenAI-compatible API (GET /v1/models,
                           POST /v1/chat/completions); --port 0 picks a free port; --checks: the
                           layout a judge prompt is read with, as the judge was trained
      train --data DIR --init CHECKPOINT --output DIR [--set param=value]...
                           the embedded judge trainer on a trainer: command dataset (judge.train's
                           params), writing OUTPUT/model.safetensors
      import FILE -o DIR [--format vl-rewardbench|multimodal-rewardbench] [--images DIR] [--name NAME]
                           turn a benchmark release's file (VLMEvalKit TSV, the parquet converted to
                           JSON lines, all_data.json) into DIR/items.jsonl, DIR/images/, DIR/benchmark.json
      bench lint DIR|FILE.jsonl [--json]
                           flag items a judge can decide without the image: a rejected response
                           with a word its world never draws, another answer type, or another
                           length; exit 1 when any item is flagged
      world scene --seed S --index I [--set image_size=24]... [-o SCENE.json]
                           print one scene of the embedded world as JSON (world params as the
                           workflows set them: image_size, grid, min_objects, max_objects, noise,
                           shapes, colours)
      world render SCENE.json -o IMAGE.png
                           render a scene to PNG
      world vocab          print the embedded world's closed vocabulary

    common options:
      --store DIR          artifact store (default: $JUDGEFLOW_STORE, else ./artifacts)
      -h, --help           this help

    exit codes: 0 success, 1 a node or the store failed, 2 bad input (usage or workflow errors)
    """

    public static func main(_ arguments: [String], registry: NodeRegistry) -> Int32 {
        guard let command = arguments.first, command != "-h", command != "--help", command != "help" else {
            print(usage)
            return arguments.isEmpty ? 2 : 0
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(usage)
            return 0
        }
        do {
            switch command {
            case "run": return try RunCommand.run(rest, registry: registry)
            case "status": return try StatusCommand.run(rest, registry: registry)
            case "dag": return try DagCommand.run(rest, registry: registry)
            case "show": return try ShowCommand.run(rest)
            case "export": return try ExportCommand.run(rest)
            case "lock": return try LockCommand.run(rest, registry: registry)
            case "verify", "gc": return try MaintenanceCommand.run(command, rest)
            case "world": return try WorldCommand.run(rest)
            case "eval": return try EvalCommand.run(rest)
            case "import": return try ImportCommand.run(rest)
            case "bench": return try BenchCommand.run(rest)
            case "results": return try ResultsCommand.run(rest, registry: registry)
            case "serve": return try ServeCommand.run(rest)
            case "train": return try TrainCommand.run(rest)
            case "exec-node": return try ExecNodeCommand.run(rest, registry: registry)
            default:
                let commands = ["run", "status", "dag", "show", "export", "lock", "verify", "gc", "world", "eval", "import", "bench", "results", "serve", "train"]
                throw CLIError.usage("unknown command '\(command)'"
                                     + (Suggestion.closest(to: command, in: commands).map { ". Did you mean '\($0)'?" } ?? ""))
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            return error.exitCode
        } catch {
            FileHandle.standardError.write(Data("judgeflow: \(error)\n".utf8))
            return 1
        }
    }

    /// `--store`, then `$JUDGEFLOW_STORE`, then `./artifacts`.
    static func openStore(_ args: Arguments) throws(CLIError) -> ArtifactStore {
        let root = args.value("--store") ?? ProcessInfo.processInfo.environment["JUDGEFLOW_STORE"] ?? "artifacts"
        do { return try ArtifactStore(root: root) } catch { throw .store(error) }
    }

    /// A workflow's latest recorded run (nil if none); an unreadable record is an error.
    static func workflowRecord(_ store: ArtifactStore, path: String) throws(CLIError) -> WorkflowRecord? {
        do { return try store.workflowRecord(id: ArtifactStore.workflowID(for: path)) } catch { throw .store(error) }
    }

    /// Every workflow's latest recorded run; an unreadable record is an error.
    static func allWorkflowRecords(_ store: ArtifactStore) throws(CLIError) -> [(id: String, record: WorkflowRecord)] {
        do { return try store.allWorkflowRecords() } catch { throw .store(error) }
    }

    /// Every node's decision against the store and the workflow's directory, explained against its last run.
    static func plan(_ graph: Graph, store: ArtifactStore, id: String) throws(CLIError) -> [(name: String, decision: Decision)] {
        do {
            let previous = try store.workflowRecord(id: id)
            return try graph.plan(cache: store, workspace: DiskWorkspace(directory: graph.workflow.directory,
                                                           digestCache: store.fileDigestCache(forWorkspace: graph.workflow.directory)), previous: previous)
        } catch { throw .store(error) }
    }

    /// Loads and checks a workflow (YAML, or a `.lock` file's resolved form).
    static func loadGraph(_ path: String, overrides: [String], registry: NodeRegistry) throws(CLIError) -> Graph {
        do {
            let workflow = path.hasSuffix(".lock")
                ? try LockFile.read(path).workflow
                : try WorkflowLoader().load(path, overrides: overrides)
            return try GraphBuilder.build(workflow, registry: registry)
        } catch {
            throw .spec(error)
        }
    }

    static func workflowPath(_ args: Arguments) throws(CLIError) -> String {
        guard let path = args.positionals.first else { throw .usage("name a workflow file") }
        guard args.positionals.count == 1 else { throw .usage("unexpected argument '\(args.positionals[1])'") }
        return path
    }

    static func printJSON(_ value: Any) {
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func isTerminal() -> Bool { isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" }
}
