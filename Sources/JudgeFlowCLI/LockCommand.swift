import ArtifactStore
import Foundation
import NodeKit
import WorkflowPlan
import WorkflowSpec

/// `judgeflow lock FILE`: records the resolved workflow and every digest in FILE.lock (and keeps what it
/// references safe from `gc`). Every node must be up to date: run the workflow first.
enum LockCommand {
    static func run(_ argv: [String], registry: NodeRegistry) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--set", "--store", "--output"], booleans: [], aliases: ["-o": "--output"])
        let path = try CLI.workflowPath(args)
        let graph = try CLI.loadGraph(path, overrides: args.all("--set"), registry: registry)
        let store = try CLI.openStore(args)
        let (keys, outputs, stale) = try snapshot(graph: graph, store: store, id: ArtifactStore.workflowID(for: path))
        guard stale.isEmpty else {
            throw .failed("\(stale.count) node(s) are not built (\(stale.prefix(5).joined(separator: ", "))); "
                          + "run `judgeflow run \(path)` first")
        }
        let lockPath = args.value("--output") ?? path + ".lock"
        let lock = LockFile(workflow: graph.workflow, keys: keys, outputs: outputs)
        do { try Data(lock.encoded().utf8).write(to: URL(fileURLWithPath: lockPath), options: .atomic) } catch {
            throw .failed("cannot write \(lockPath): \(error.localizedDescription)")
        }
        // A lock file is a gc root: record its keys under its own id.
        if let record = try CLI.workflowRecord(store, path: path) {
            do { try store.saveWorkflowRecord(record, id: ArtifactStore.workflowID(for: lockPath)) } catch { throw .store(error) }
        }
        print("wrote \(lockPath): \(graph.nodes.count) nodes, every key and output digest")
        return 0
    }

    static func snapshot(graph: Graph, store: ArtifactStore, id: String)
        throws(CLIError) -> ([String: Digest], [String: [String: Digest]], [String]) {
        let entries = try CLI.plan(graph, store: store, id: id)
        var keys: [String: Digest] = [:], outputs: [String: [String: Digest]] = [:], stale: [String] = []
        for (name, e) in entries {
            guard let key = e.key, let manifest = e.manifest else {
                stale.append(name)
                continue
            }
            keys[name] = key
            outputs[name] = manifest.outputs.mapValues(\.digest)
        }
        return (keys, outputs, stale)
    }

    /// After `run FILE.lock`: every way this machine's results differ from the lock.
    static func compare(lockPath: String, graph: Graph, store: ArtifactStore, id: String) throws(CLIError) -> [String] {
        let lock: LockFile
        do { lock = try LockFile.read(lockPath) } catch { throw .spec(error) }
        let (keys, outputs, stale) = try snapshot(graph: graph, store: store, id: id)
        var differences = stale.map { "\($0): not built" }
        for node in lock.workflow.nodes where !stale.contains(node.name) {
            if keys[node.name] != lock.keys[node.name] {
                differences.append("\(node.name): key \(keys[node.name]?.short ?? "-") here, \(lock.keys[node.name]?.short ?? "-") in the lock "
                                   + "(an input file or the node type's implementation differs)")
            }
            for (output, digest) in lock.outputs[node.name] ?? [:] where outputs[node.name]?[output] != digest {
                differences.append("\(node.name).\(output): digest \(outputs[node.name]?[output]?.short ?? "-") here, \(digest.short) in the lock")
            }
        }
        return differences
    }
}
