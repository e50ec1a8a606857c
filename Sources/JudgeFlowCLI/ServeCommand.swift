import Foundation
import JudgeStages
import ModelServer
import TinyVLM
#if canImport(Glibc)
import Glibc
#endif

/// `judgeflow serve CHECKPOINT|NODE [--workflow FILE] [--store DIR] [--host H] [--port N] [--name NAME]
/// [--max-body BYTES] [--checks word-verdicts|interleaved|sequential]`: the embedded model behind the
/// OpenAI-compatible chat API. CHECKPOINT is a `.safetensors` file or a directory holding one (a `trainer: command`
/// output); NODE is resolved as `show` resolves it (its latest recorded output). The served name defaults
/// to the file's or node's name. A judge prompt is judged with the claim-check layout `--checks` (the one
/// the judge was trained with; default word-verdicts). It prints `serving NAME at http://HOST:PORT/v1` once
/// it listens, then serves until killed.
enum ServeCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        // A server stops on SIGTERM or SIGINT whatever signal mask it was started with (a parent's thread may
        // have blocked them); every thread started from here on inherits the empty mask.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        let args = try Arguments(argv, valued: ["--workflow", "--store", "--host", "--port", "--name", "--max-body", "--threads", "--checks"], booleans: [])
        guard args.positionals.count == 1 else {
            throw .usage("usage: judgeflow serve CHECKPOINT|NODE[.OUTPUT] [--workflow FILE] [--host 127.0.0.1] [--port 8000] [--name NAME] "
                         + "[--checks " + CellChecks.Layout.choices + "]")
        }
        guard let checks = CellChecks.Layout(rawValue: args.value("--checks") ?? CellChecks.Layout.default.rawValue) else {
            throw .usage("--checks takes " + CellChecks.Layout.choices)
        }
        let reference = args.positionals[0]
        let path = try CheckpointFile.resolve(try checkpoint(reference, args), label: reference)
        guard let port = Int(args.value("--port") ?? "8000"), (0...65535).contains(port) else { throw .usage("--port takes 0…65535") }
        let maxBody = Int(args.value("--max-body") ?? "") ?? 32 << 20
        let threads = Int(args.value("--threads") ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        let model: Model
        do { model = try Checkpoint.load(path, threads: max(1, threads)) } catch { throw .failed("cannot load \(path): \(error)") }
        let name = args.value("--name") ?? (reference.hasSuffix(".safetensors") || reference.contains("/")
            ? ((reference as NSString).lastPathComponent as NSString).deletingPathExtension : reference)
        let routes = OpenAIRoutes(engine: CompletionEngine(model: model, name: name, checks: checks))
        let server: HTTPServer
        do { server = try HTTPServer(host: args.value("--host") ?? "127.0.0.1", port: port, maxBody: maxBody, handler: routes.handle) } catch {
            throw .failed("\(error)")
        }
        FileHandle.standardError.write(Data("serving \(name) at http://\(server.host):\(server.port)/v1\n".utf8))
        server.serve()
    }

    /// A checkpoint file or directory on disk, or a node's latest output taken out of the store.
    static func checkpoint(_ reference: String, _ args: Arguments) throws(CLIError) -> String {
        if FileManager.default.fileExists(atPath: reference) { return reference.hasSuffix("/") ? String(reference.dropLast()) : reference }
        let store = try CLI.openStore(args)
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        let (_, node) = try ShowCommand.latestRun(of: parts[0], store: store, workflow: args.value("--workflow"))
        guard let manifest = store.manifest(for: node.key) else {
            throw .failed("\(parts[0])'s outputs are not in the store (failed, removed by gc or quarantined); run its workflow again")
        }
        guard let ref = parts.count == 2 ? manifest.outputs[parts[1]] : (manifest.outputs.count == 1 ? manifest.outputs.values.first : nil) else {
            throw .usage("node '\(parts[0])' has outputs \(manifest.outputs.keys.sorted().joined(separator: ", ")); name one as NODE.OUTPUT")
        }
        do {
            let target = try store.makeWorkDirectory() + "/served"
            try store.materialize(ref, at: target)
            return target
        } catch {
            throw .failed("cannot take \(reference) out of the store: \(error)")
        }
    }
}
