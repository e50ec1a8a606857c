import NodeKit
/// Expands the `stages:` map of one matrix variant into resolved nodes: unrolls `repeat` groups,
/// applies a group's `first:` base case, and interpolates every param and reference.
///
/// A repeat group:
/// ```yaml
/// improve:
///   repeat: ${iterations}      # iterations 1…N (`from:` changes the start)
///   as: i                      # the loop variable, default i
///   stages:
///     train: {uses: …, inputs: {init: judge@${i - 1}, data: traces}}   # `traces` = traces@i
///   first:                     # deep-merged into the first iteration only
///     train: {inputs: {init: base}}
/// ```
/// Outside the group, `train@*` reads every iteration of `train` (StageExpansion+AllIterations.swift).
struct StageExpansion {
    static let leafKeys = ["uses", "with", "inputs", "executor", "resources", "description"]
    static let groupKeys = ["repeat", "as", "from", "stages", "first", "description"]
    /// Most iterations one repeat group may unroll to (each is a node per stage, held in memory).
    static let maxIterations = 10_000
    /// Most nodes a workflow may resolve to, over all its matrix variants.
    static let maxNodes = 200_000

    var sink = DiagnosticSink()
    var nodes: [ResolvedNode] = []
    /// Stage name → its iterations in order, for every stage of a repeat group (empty for `repeat: 0`).
    var iterationsByStage: [String: [Int]] = [:]

    mutating func expand(stages: YAMLNode, variables: [String: Value]) {
        guard let entries = stages.entries else {
            sink.error(stages.location, "`stages` must be a map of stage name → stage", hint: "indent stages under `stages:`")
            return
        }
        for entry in entries {
            if !Self.isValidName(entry.key) {
                sink.error(entry.keyLocation, "stage name '\(entry.key)' may use letters, digits, '_' and '-' only",
                           hint: "'.', '@' and '[' are reserved for outputs, iterations and variants")
                continue
            }
            if entry.value["repeat"] != nil {
                expandGroup(entry, variables: variables)
            } else {
                resolveLeaf(entry.value, name: entry.key, stageName: entry.key, keyLocation: entry.keyLocation,
                            localNames: [], iterationSuffix: "", interpolation: Interpolation(variables: variables))
            }
        }
        expandAllIterationReferences()
    }

    static func isValidName(_ name: String) -> Bool {
        // ASCII names (nearly all) are checked byte by byte; Character properties only for the rest.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            return !name.isEmpty && name.utf8.allSatisfy { b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b == 0x2D
            }
        }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    mutating func expandGroup(_ group: YAMLNode.Entry, variables: [String: Value]) {
        let node = group.value
        for entry in node.entries ?? [] where !Self.groupKeys.contains(entry.key) {
            sink.error(entry.keyLocation, "unknown key '\(entry.key)' in repeat group '\(group.key)'",
                       hint: Suggestion.hint(for: entry.key, in: Self.groupKeys, noun: "key"))
        }
        let outer = Interpolation(variables: variables)
        let variable = node["as"].map { outer.text(of: $0, into: &sink) } ?? "i"
        let reported = sink.diagnostics.count
        let count = node["repeat"].map { outer.value(of: $0, into: &sink) } ?? .null
        let start = node["from"].map { outer.value(of: $0, into: &sink) } ?? .int(1)
        // An expression that failed has been reported at its own column already.
        guard sink.diagnostics.count == reported else { return }
        let countAt = node["repeat"]?.location ?? group.keyLocation, fromAt = node["from"]?.location ?? group.keyLocation
        guard case .int(let n) = count, n >= 0 else {
            sink.error(countAt, "`repeat` needs a whole number of iterations, found \(count)",
                       hint: "write repeat: 4 or repeat: ${iterations}")
            return
        }
        guard n <= Self.maxIterations else {
            sink.error(countAt, "`repeat: \(n)` is more than the \(Self.maxIterations) iterations a group may have",
                       hint: "a loop of the method runs a handful of iterations; check the value")
            return
        }
        guard case .int(let first) = start else {
            sink.error(fromAt, "`from` needs a whole number, found \(start)")
            return
        }
        guard (-(Int.max / 2)...(Int.max / 2)).contains(first) else {
            sink.error(fromAt, "`from: \(first)` is too large", hint: "iterations are numbered from a small integer, e.g. 0 or 1")
            return
        }
        guard let stages = node["stages"], let inner = stages.entries else {
            sink.error(group.keyLocation, "repeat group '\(group.key)' has no `stages:` map",
                       hint: "list the stages of one iteration under `stages:`")
            return
        }
        guard nodes.count + n * inner.count <= Self.maxNodes else {
            sink.error(countAt, "`repeat: \(n)` of \(inner.count) stages would make more than \(Self.maxNodes) nodes",
                       hint: "a workflow of this size is better split into several files")
            return
        }
        let localNames = Set(inner.map(\.key))
        let baseCase = node["first"]
        for name in baseCase?.entries ?? [] where !localNames.contains(name.key) {
            sink.error(name.keyLocation, "`first:` names '\(name.key)', which is not a stage of this group",
                       hint: Suggestion.hint(for: name.key, in: Array(localNames), noun: "stage"))
        }
        for entry in inner { iterationsByStage[entry.key, default: []] += Array(first..<(first + n)) }
        for i in first..<(first + n) {
            var scope = variables
            scope[variable] = .int(i)
            let interpolation = Interpolation(variables: scope)
            for entry in inner {
                if entry.value["repeat"] != nil {
                    sink.error(entry.keyLocation, "repeat groups cannot nest", hint: "move the inner loop to the top level")
                    continue
                }
                var definition = entry.value
                if i == first, let override = baseCase?[entry.key] { definition = definition.merged(with: override) }
                resolveLeaf(definition, name: "\(entry.key)@\(i)", stageName: entry.key, keyLocation: entry.keyLocation,
                            localNames: localNames, iterationSuffix: "@\(i)", interpolation: interpolation)
            }
        }
    }

    mutating func resolveLeaf(_ node: YAMLNode, name: String, stageName: String, keyLocation: SourceLocation,
                              localNames: Set<String>, iterationSuffix: String, interpolation: Interpolation) {
        guard let entries = node.entries else {
            sink.error(node.location, "stage '\(stageName)' must be a map with `uses:`, found \(node.kindName)")
            return
        }
        for entry in entries where !Self.leafKeys.contains(entry.key) {
            sink.error(entry.keyLocation, "unknown key '\(entry.key)' in stage '\(stageName)'",
                       hint: Suggestion.hint(for: entry.key, in: Self.leafKeys, noun: "key")
                           + (entry.key == "cmd" ? " (shell commands go under `with: {cmd: …}`)" : ""))
        }
        guard let uses = node["uses"] else {
            sink.error(keyLocation, "stage '\(stageName)' has no `uses:`", hint: "name its node type, e.g. `uses: shell`")
            return
        }
        var params: [String: LocatedValue] = [:]
        if let with = node["with"] {
            if let withEntries = with.entries {
                for entry in withEntries {
                    params[entry.key] = LocatedValue(interpolation.value(of: entry.value, into: &sink), at: entry.value.location,
                                                     nameAt: entry.keyLocation)
                }
            } else if !with.isNull {
                sink.error(with.location, "`with` must be a map of param → value, found \(with.kindName)")
            }
        }
        var inputs: [String: [Reference]] = [:]
        if let inputNode = node["inputs"] {
            for entry in inputNode.entries ?? [] {
                let refNodes = entry.value.items ?? [entry.value]
                inputs[entry.key] = refNodes.map { refNode in
                    var ref = Reference(parsing: interpolation.text(of: refNode, into: &sink), at: refNode.location)
                    if localNames.contains(ref.node) { ref.node += iterationSuffix }
                    if let stage = Self.allIterationsStage(ref), localNames.contains(stage) {
                        sink.error(ref.location, "'\(ref.description)' inside its own repeat group would read later iterations too",
                                   hint: "read one earlier iteration, e.g. \(stage)@${i - 1}; use \(stage)@* from a stage outside the group")
                    }
                    return ref
                }
            }
            if inputNode.entries == nil && !inputNode.isNull {
                sink.error(inputNode.location, "`inputs` must be a map of input name → node or node.output")
            }
        }
        var resolved = ResolvedNode(name: name, stageName: stageName, type: interpolation.text(of: uses, into: &sink),
                                    typeLocation: uses.location, location: keyLocation, params: params, inputs: inputs)
        if let executor = node["executor"] { resolved.executor = Self.executor(executor, interpolation: interpolation, sink: &sink) }
        if let resources = node["resources"] { resolved.resources = Resources(resources, interpolation: interpolation, sink: &sink) }
        nodes.append(resolved)
    }

    /// `executor: local|slurm`; anything else is reported at the value.
    static func executor(_ node: YAMLNode, interpolation: Interpolation, sink: inout DiagnosticSink) -> String? {
        let name = interpolation.text(of: node, into: &sink)
        guard ExecutorName.all.contains(name) else {
            sink.error(node.location, "unknown executor '\(name)'",
                       hint: Suggestion.hint(for: name, in: ExecutorName.all, noun: "executor"))
            return nil
        }
        return name
    }
}
