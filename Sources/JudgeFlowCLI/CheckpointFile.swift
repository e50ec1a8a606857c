import Foundation

/// A checkpoint given as a file, or as a directory holding one (what a `trainer: command` stage outputs):
/// the directory's `.safetensors` file, or its only file.
enum CheckpointFile {
    /// `path` itself, or the checkpoint inside it; `label` names it in the error.
    static func resolve(_ path: String, label: String) throws(CLIError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return path }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        guard let file = files.first(where: { $0.hasSuffix(".safetensors") }) ?? (files.count == 1 ? files.first : nil) else {
            throw .usage("\(label) is a directory without a .safetensors checkpoint")
        }
        return path + "/" + file
    }
}
