import Foundation
import NodeKit

/// `uses: shell` — runs a command with `bash -c` in the workflow's directory, like a DVC stage.
///
/// `deps` are workspace files it reads (their contents enter the key; a dep another stage writes becomes
/// an edge); `outs` are the files it writes, captured into the store and restored when missing. With no
/// `outs`, the command's standard output is the node's single output `stdout`. Inputs from other nodes
/// arrive as `JF_IN_<NAME>` environment variables: absolute paths, one per line; `JF_OUT` is a directory
/// the command may also write outputs into.
///
/// Strict mode (the default, `strict: false` turns it off): the command starts with
/// `set -euo pipefail; IFS=$'\n\t';` (as Snakemake's shell does, plus the field separator of the
/// "unofficial bash strict mode"), so a failing command anywhere in a pipeline fails the node, an unset
/// variable is an error, and an unquoted `$JF_IN_IN` splits into its paths even when they hold spaces.
public struct ShellNode: NodeType {
    public init() {}
    public let name = "shell"
    public let implementationVersion = "2"
    public let summary = "run a shell command in the workflow directory"
    /// Prepended to the command on its own first line's start, so line numbers in bash's errors still hold.
    static let strictPrelude = "set -euo pipefail; IFS=$'\\n\\t'; "
    public let params: [ParamSpec] = [
        ParamSpec("cmd", .string, doc: "the command, run with bash -c in the workflow's directory"),
        ParamSpec("strict", .bool, default: .bool(true),
                  doc: "bash strict mode: set -euo pipefail and IFS=newline+tab (false: plain bash -c)"),
        ParamSpec("deps", .list, default: .list([]), doc: "workspace files the command reads"),
        ParamSpec("outs", .list, default: .list([]), doc: "workspace files the command writes"),
        ParamSpec("env", .map, default: .map([:]), doc: "extra environment variables"),
    ]
    public let inputs: [InputSpec] = [
        InputSpec("in", required: false, multiple: true, doc: "artifacts of other nodes, passed as JF_IN_IN"),
        InputSpec("after", required: false, multiple: true, doc: "nodes that must run first (ordering only)"),
    ]

    static func strings(_ value: Value?) -> [String] {
        (value?.listValue ?? []).map(\.description)
    }

    public func outputs(params: [String: Value]) -> [String] {
        let outs = Self.strings(params["outs"])
        return outs.isEmpty ? ["stdout"] : outs
    }

    public func workspaceFiles(params: [String: Value]) -> WorkspaceFiles {
        WorkspaceFiles(reads: Self.strings(params["deps"]), writes: Self.strings(params["outs"]))
    }

    public func run(_ context: NodeContext) throws {
        let outs = Self.strings(context.params["outs"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let strict = try context.params.bool("strict")
        process.arguments = ["-c", (strict ? Self.strictPrelude : "") + (try context.params.string("cmd"))]
        process.currentDirectoryURL = URL(fileURLWithPath: context.workspace)
        var environment = ProcessInfo.processInfo.environment
        environment["JF_OUT"] = context.outputDirectory
        environment["JF_NODE"] = context.nodeName
        for (name, artifacts) in context.inputs {
            environment["JF_IN_" + name.uppercased()] = artifacts.map(\.path).joined(separator: "\n")
        }
        if case .map(let extra)? = context.params["env"] { for (k, v) in extra { environment[k] = v.description } }
        process.environment = environment
        let logPath = context.scratchDirectory + "/shell.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process.standardError = log
        if outs.isEmpty {
            let stdoutPath = context.outputPath("stdout")
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        } else {
            process.standardOutput = log
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if let text = try? String(contentsOfFile: logPath, encoding: .utf8), !text.isEmpty { context.log(text) }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            // Standard output is an artifact, not log, but on failure it is what explains the failure.
            if outs.isEmpty, let out = FileManager.default.contents(atPath: context.outputPath("stdout")), !out.isEmpty {
                context.log(String(decoding: out.suffix(4096), as: UTF8.self))
            }
            throw NodeError.commandFailed(status: process.terminationStatus)
        }
        for path in outs {
            let source = context.workspace + "/" + path
            guard FileManager.default.fileExists(atPath: source) else { throw NodeError.missingOutput(path) }
            let destination = context.outputPath(path)
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        }
    }
}
