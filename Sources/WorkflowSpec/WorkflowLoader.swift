import NodeKit
import Foundation

/// Loads a workflow file into a `ResolvedWorkflow`: reads YAML (following `extends:`), evaluates
/// `params:`, applies `--set` overrides, expands `matrix:` and `repeat` groups and interpolates `${…}`.
/// Every problem found is reported together as one `SpecError`.
public struct WorkflowLoader: Sendable {
    static let topLevelKeys = ["version", "description", "extends", "params", "matrix", "servers", "executor", "resources", "stages"]
    public static let formatVersion = 1

    /// Reads a file's text; swapped for an in-memory table in tests.
    public var readFile: @Sendable (String) throws -> String

    public init(readFile: @escaping @Sendable (String) throws -> String = WorkflowLoader.readUTF8) {
        self.readFile = readFile
    }

    struct UnreadableFile: Error {}

    /// A file's text: UTF-8, a leading byte-order mark dropped (as `String(contentsOfFile:encoding:)` does,
    /// at a fraction of its cost on a 1000-stage workflow); invalid UTF-8 or a read error throws.
    @Sendable public static func readUTF8(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw UnreadableFile() }
        let text = data.withUnsafeBytes { raw -> String? in
            var bytes = raw.bindMemory(to: UInt8.self)[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            return String(validating: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self)
        }
        guard let text else { throw UnreadableFile() }
        return text
    }

    public func load(_ path: String, overrides: [String] = []) throws(SpecError) -> ResolvedWorkflow {
        let tree = try loadTree(path, chain: [])
        var sink = DiagnosticSink()
        var parsedOverrides: [Override] = []
        for (i, text) in overrides.enumerated() {
            do { parsedOverrides.append(try Override(parsing: text, index: i)) } catch { sink.append(contentsOf: error.diagnostics) }
        }
        guard let entries = tree.entries else {
            throw SpecError(tree.location, "a workflow is a map with `stages:`, found \(tree.kindName)")
        }
        // `x-…` keys are free for YAML anchors that stages reuse (as in Compose files); nothing reads them.
        for entry in entries where !Self.topLevelKeys.contains(entry.key) && !entry.key.hasPrefix("x-") {
            sink.error(entry.keyLocation, "unknown top-level key '\(entry.key)'",
                       hint: Suggestion.hint(for: entry.key, in: Self.topLevelKeys, noun: "key")
                           + " (keys starting with x- are free for anchors)")
        }
        if let version = tree["version"], Value.typed(scalar: version.text ?? "", plain: true) != .int(Self.formatVersion) {
            sink.error(version.location, "unsupported workflow version '\(version.text ?? "")'",
                       hint: "this JudgeFlow reads version \(Self.formatVersion)")
        }

        // Params in declaration order; each may use the ones above it. `--set` replaces a value before use.
        var params: [String: Value] = [:]
        let paramEntries = tree["params"]?.entries ?? []
        if let p = tree["params"], p.entries == nil, !p.isNull { sink.error(p.location, "`params` must be a map") }
        var stageOverrides: [Override] = []
        for o in parsedOverrides {
            if o.stageTarget == nil && !paramEntries.contains(where: { $0.key == o.paramName }) {
                sink.error(o.location, "--set \(o.target): no param '\(o.paramName)'",
                           hint: Suggestion.hint(for: o.paramName, in: paramEntries.map(\.key), noun: "param")
                               + "; a stage param is set with --set stage.param=value")
            } else if o.stageTarget != nil {
                stageOverrides.append(o)
            }
        }
        for entry in paramEntries {
            if let o = parsedOverrides.last(where: { $0.stageTarget == nil && $0.paramName == entry.key }) {
                params[entry.key] = o.value
            } else {
                params[entry.key] = Interpolation(variables: params).value(of: entry.value, into: &sink)
            }
        }

        let matrix = tree["matrix"].map { Matrix(node: $0, interpolation: Interpolation(variables: params), sink: &sink) } ?? .none
        guard let stages = tree["stages"] else {
            sink.error(tree.location, "the workflow has no `stages:`", hint: "add `stages:` with at least one stage")
            throw SpecError(sink.diagnostics)
        }
        var perVariant: [[ResolvedNode]] = []
        var expanded = 0
        for (v, variant) in matrix.variants.enumerated() {
            var expansion = StageExpansion()
            expansion.expand(stages: stages, variables: params.merging(variant) { $1 })
            if v == 0 { sink.append(contentsOf: expansion.sink.diagnostics) }
            perVariant.append(expansion.nodes)
            expanded += expansion.nodes.count
            if expanded > StageExpansion.maxNodes {
                sink.error(tree["matrix"]?.location ?? stages.location,
                           "the matrix's \(matrix.variants.count) variants make more than \(StageExpansion.maxNodes) nodes",
                           hint: "split the sweep into several workflows")
                throw SpecError(sink.diagnostics)
            }
        }
        for o in stageOverrides {
            let (stage, param) = o.stageTarget!
            var hit = false
            for v in perVariant.indices {
                for n in perVariant[v].indices where perVariant[v][n].name == stage || perVariant[v][n].stageName == stage {
                    perVariant[v][n].params[param] = LocatedValue(o.value, at: o.location)
                    hit = true
                }
            }
            if !hit {
                let names = Set(perVariant.flatMap { $0.flatMap { [$0.name, $0.stageName] } })
                sink.error(o.location, "--set \(o.target): no stage '\(stage)'",
                           hint: Suggestion.hint(for: stage, in: Array(names), noun: "stage"))
            }
        }
        var nodes = perVariant.first ?? []
        if matrix.variants.count > 1 {
            var merging = VariantMerging(variants: matrix.variants, variableNames: matrix.variableNames, perVariant: perVariant)
            nodes = merging.merged()
        }
        Servers(tree["servers"], interpolation: Interpolation(variables: params), sink: &sink).apply(to: &nodes, sink: &sink)
        let topLevel = Interpolation(variables: params)
        let executor = tree["executor"].flatMap { StageExpansion.executor($0, interpolation: topLevel, sink: &sink) }
        let defaults = tree["resources"].map { Resources($0, interpolation: topLevel, sink: &sink) } ?? Resources()
        if !defaults.isEmpty {
            for n in nodes.indices { nodes[n].resources = defaults.merged(with: nodes[n].resources) }
        }
        var seen: [String: SourceLocation] = [:]
        for node in nodes {
            if let first = seen[node.name] {
                sink.error(node.location, "two nodes are named '\(node.name)' (the other is at \(first))",
                           hint: "rename one stage; a repeat group's stages are named stage@i")
            } else {
                seen[node.name] = node.location
            }
        }
        try sink.check()
        let directory = (path as NSString).deletingLastPathComponent
        var workflow = ResolvedWorkflow(file: path, directory: directory.isEmpty ? "." : directory, params: params, nodes: nodes)
        workflow.executor = executor
        return workflow
    }

    /// A path in one spelling: absolute, with `.`, `..` and doubled slashes resolved (symlinks are not).
    static func normalised(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }

    /// The file's tree with its `extends:` chain deep-merged underneath it.
    func loadTree(_ path: String, chain: [String]) throws(SpecError) -> YAMLNode {
        let text: String
        do { text = try readFile(path) } catch {
            let at = SourceLocation(file: chain.last ?? path, line: 1, column: 1)
            throw SpecError(at, "cannot read workflow '\(path)'", hint: "check the path; it is relative to the current directory")
        }
        var tree = try YAMLReader.parse(text, file: path)
        guard let extends = tree["extends"] else { return tree }
        guard let relative = extends.text, !relative.isEmpty else {
            throw SpecError(extends.location, "`extends` names one workflow file", hint: "write extends: base.yaml")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let basePath = relative.hasPrefix("/") ? relative : (directory.isEmpty ? relative : directory + "/" + relative)
        let seen = (chain + [path]).map(Self.normalised)
        if seen.contains(Self.normalised(basePath)) {
            throw SpecError(extends.location, "`extends` forms a cycle: \((chain + [path, basePath]).joined(separator: " → "))",
                            hint: "a workflow cannot extend itself or a file that extends it")
        }
        let base: YAMLNode
        do { base = try loadTree(basePath, chain: chain + [path]) } catch {
            if error.diagnostics.count == 1, error.diagnostics[0].message.hasPrefix("cannot read") {
                throw SpecError(extends.location, "cannot read '\(relative)' named by `extends`",
                                hint: "the path is relative to \(directory.isEmpty ? "this file's directory" : directory)")
            }
            throw error
        }
        if case .map(var entries) = tree.kind {
            entries.removeAll { $0.key == "extends" }
            tree = YAMLNode(.map(entries), at: tree.location)
        }
        return base.merged(with: tree)
    }
}
