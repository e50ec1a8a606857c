import Foundation

/// What a running node sees: its params (defaults filled in), its inputs as read-only paths, where to
/// write its outputs, and callbacks for log lines and progress. Created by the engine per execution.
public struct NodeContext: Sendable {
    public var nodeName: String
    public var params: [String: Value]
    /// Input name → artifacts in the order written (a file path, or a directory for tree outputs).
    public var inputs: [String: [InputArtifact]]
    /// Write each output as `outputDirectory/<output name>` (or name an existing file with `provideOutput`).
    public var outputDirectory: String
    /// The workflow's directory (shell nodes run here).
    public var workspace: String
    /// Scratch space that is deleted after the run; `makeScratchDirectory()` creates it when a node first
    /// needs it (most nodes never do, and a directory costs a new inode per execution).
    public var scratchDirectory: String
    /// Kept across attempts of this same node key until it succeeds: periodic checkpoints go here so a
    /// killed run resumes instead of starting over (the node creates it when it first writes there).
    /// Removed once the node's outputs are recorded.
    public var resumeDirectory: String
    /// How many threads the node may use; outputs must not depend on it.
    public var threads: Int
    public var log: @Sendable (String) -> Void
    /// A file holding the node's log that the node may append raw output to (a command's standard error,
    /// opened with `O_APPEND`), or nil: then text goes through `log`.
    public var logFile: String?
    /// Names an existing file or directory as output `name`: the engine stores it from there, as if it had
    /// been written under `outputDirectory` (a shell stage's workspace outputs, without a copy). Without an
    /// engine's own, it copies the file to `outputPath(name)`.
    public var provideOutput: @Sendable (_ name: String, _ path: String) throws -> Void
    /// Fraction done in 0…1 and a short note, shown on the node's progress line.
    public var progress: @Sendable (Double, String) -> Void

    public init(nodeName: String, params: [String: Value], inputs: [String: [InputArtifact]], outputDirectory: String,
                workspace: String, scratchDirectory: String, resumeDirectory: String = "", threads: Int,
                log: @escaping @Sendable (String) -> Void, logFile: String? = nil,
                provideOutput: (@Sendable (_ name: String, _ path: String) throws -> Void)? = nil,
                progress: @escaping @Sendable (Double, String) -> Void) {
        self.nodeName = nodeName
        self.params = params
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.workspace = workspace
        self.scratchDirectory = scratchDirectory
        self.resumeDirectory = resumeDirectory
        self.threads = threads
        self.log = log
        self.logFile = logFile
        self.provideOutput = provideOutput ?? { name, path in
            let destination = outputDirectory + "/" + name
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: path, toPath: destination)
        }
        self.progress = progress
    }

    /// Creates the scratch directory (if it is not there yet) and returns its path.
    public func makeScratchDirectory() throws -> String {
        try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
        return scratchDirectory
    }

    /// The single artifact of a one-artifact input.
    public func input(_ name: String) throws -> InputArtifact {
        guard let first = inputs[name]?.first else { throw NodeError.missingInput(name) }
        return first
    }

    public func outputPath(_ name: String) -> String { outputDirectory + "/" + name }
}

public struct InputArtifact: Sendable, Equatable {
    public var path: String
    /// The artifact's content digest (hex).
    public var digest: String
    public var isDirectory: Bool
    public init(path: String, digest: String, isDirectory: Bool) {
        self.path = path
        self.digest = digest
        self.isDirectory = isDirectory
    }
}

/// Failures a node type reports; the engine records them and shows the log tail.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    case missingInput(String)
    case commandFailed(status: Int32)
    case invalid(String)
    case missingOutput(String)

    public var description: String {
        switch self {
        case .missingInput(let name): "input '\(name)' was not provided"
        case .commandFailed(let status): "command exited with status \(status)"
        case .invalid(let message): message
        case .missingOutput(let name): "the node did not write its output '\(name)'"
        }
    }
}

/// The node types a program knows, by name. Adding a type means adding it to one registry list; two
/// types of one name are an error, never a silent choice.
public struct NodeRegistry: Sendable {
    public private(set) var types: [String: any NodeType] = [:]

    public struct DuplicateName: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "two node types are named '\(name)'" }
    }

    public init(_ types: [any NodeType]) throws(DuplicateName) {
        for type in types {
            guard self.types[type.name] == nil else { throw DuplicateName(name: type.name) }
            self.types[type.name] = type
        }
    }

    public subscript(name: String) -> (any NodeType)? { types[name] }
    public var names: [String] { types.keys.sorted() }
}
