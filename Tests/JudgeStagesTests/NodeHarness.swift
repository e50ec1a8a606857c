import Foundation
import NodeKit

/// Runs one node type outside the engine: params not given take their declared defaults (as the graph
/// builder fills them), inputs are paths, and outputs land in a fresh temporary directory.
struct NodeHarness {
    let root: String

    init() {
        root = NSTemporaryDirectory() + "jf-node-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Runs `type` and returns its output directory (`<dir>/<output name>` holds each output).
    func run(_ type: any NodeType, _ params: [String: Value] = [:], inputs: [String: [String]] = [:]) throws -> String {
        var filled = params
        for spec in type.params where filled[spec.name] == nil { filled[spec.name] = spec.defaultValue }
        let work = root + "/" + type.name + "-" + UUID().uuidString
        for sub in ["out", "scratch", "resume"] {
            try FileManager.default.createDirectory(atPath: work + "/" + sub, withIntermediateDirectories: true)
        }
        let artifacts = inputs.mapValues { paths in
            paths.map { path in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                return InputArtifact(path: path, digest: "", isDirectory: isDirectory.boolValue)
            }
        }
        try type.run(NodeContext(nodeName: type.name, params: filled, inputs: artifacts, outputDirectory: work + "/out",
                                 workspace: root, scratchDirectory: work + "/scratch", resumeDirectory: work + "/resume",
                                 threads: 1, log: { _ in }, progress: { _, _ in }))
        return work + "/out"
    }
}
