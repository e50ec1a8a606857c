import ArtifactStore
import Foundation

/// `judgeflow export NODE[.OUTPUT] DIR`: a node's outputs from its latest recorded run, written out of the
/// store as plain files (`dvc get` for a node). `NODE` writes every output as `DIR/<output name>` (a
/// directory output as a directory of its files); `NODE.OUTPUT` writes that output alone: a file as
/// `DIR/<output name>`, a directory output's files straight into `DIR`. Every byte is verified on the way.
enum ExportCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--workflow", "--store"], booleans: [], aliases: ["-f": "--workflow"])
        guard args.positionals.count == 2 else { throw .usage("usage: judgeflow export NODE[.OUTPUT] DIR [--workflow FILE] [--store DIR]") }
        let (reference, directory) = (args.positionals[0], args.positionals[1])
        let store = try CLI.openStore(args)
        // A node name has no '.', outputs may ('out/model.bin' has none, 'judge.model' splits at the first).
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        let (_, node) = try ShowCommand.latestRun(of: parts[0], store: store, workflow: args.value("--workflow"))
        guard let manifest = store.manifest(for: node.key) else {
            throw .failed("\(parts[0])'s outputs are not in the store (failed, removed by gc or quarantined); run its workflow again")
        }
        var written: [String] = []
        do {
            if parts.count == 2 {
                guard let ref = manifest.outputs[parts[1]] else {
                    throw CLIError.usage("node '\(parts[0])' has no output '\(parts[1])'; it has "
                                         + manifest.outputs.keys.sorted().joined(separator: ", "))
                }
                let target = ref.isTree ? directory : directory + "/" + parts[1]
                try store.materialize(ref, at: target)
                written.append(target)
            } else {
                for (name, ref) in manifest.outputs.sorted(by: { $0.key < $1.key }) {
                    try store.materialize(ref, at: directory + "/" + name)
                    written.append(directory + "/" + name)
                }
            }
        } catch let error as CLIError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .failed("\(error)")
        }
        for path in written { print(path) }
        return 0
    }
}
