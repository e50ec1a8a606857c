import Foundation
import NodeKit
#if canImport(Glibc)
import Glibc
#endif

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
        let strict = try context.params.bool("strict")
        var environment = ProcessInfo.processInfo.environment
        environment["JF_OUT"] = context.outputDirectory
        environment["JF_NODE"] = context.nodeName
        for (name, artifacts) in context.inputs {
            environment["JF_IN_" + name.uppercased()] = artifacts.map(\.path).joined(separator: "\n")
        }
        if case .map(let extra)? = context.params["env"] { for (k, v) in extra { environment[k] = v.description } }
        // Standard error (and standard output, when the outputs are workspace files) goes straight into the
        // node's log when the engine offers its file; otherwise into a scratch file passed on through `log`.
        let scratchLog = context.logFile == nil ? try context.makeScratchDirectory() + "/shell.log" : nil
        let log = try scratchLog.map(Self.create) ?? Self.append(context.logFile!)
        defer { close(log) }
        let stdoutPath = context.outputPath("stdout")
        let out = outs.isEmpty ? try Self.create(stdoutPath) : log
        defer { if out != log { close(out) } }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        let termination = try Subprocess.run("/bin/bash", arguments: ["-c", (strict ? Self.strictPrelude : "") + (try context.params.string("cmd"))],
                                             environment: environment, directory: context.workspace,
                                             stdin: null, stdout: out, stderr: log)
        if let scratchLog, let text = try? String(contentsOfFile: scratchLog, encoding: .utf8), !text.isEmpty { context.log(text) }
        guard termination == .exited(0) else {
            // Standard output is an artifact, not log, but on failure it is what explains the failure.
            if outs.isEmpty, let bytes = FileManager.default.contents(atPath: stdoutPath), !bytes.isEmpty {
                context.log(String(decoding: bytes.suffix(4096), as: UTF8.self))
            }
            switch termination {
            case .signalled(let signal): throw NodeError.invalid("command killed by signal \(signal)")
            case .exited(let status): throw NodeError.commandFailed(status: status)
            }
        }
        // The workspace files are the outputs: the engine stores them from where the command wrote them.
        for path in outs {
            let source = context.workspace + "/" + path
            guard FileManager.default.fileExists(atPath: source) else { throw NodeError.missingOutput(path) }
            try context.provideOutput(path, source)
        }
    }

    /// Opens the node's log file for appending.
    static func append(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw NodeError.invalid("cannot open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Creates (or truncates) a file for the command to write into.
    static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NodeError.invalid("cannot create \(path): \(String(cString: strerror(errno)))") }
        return fd
    }
}
