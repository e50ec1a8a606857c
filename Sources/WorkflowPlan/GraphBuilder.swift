import WorkflowSpec

/// Checks a resolved workflow against the node registry and builds the `Graph`, reporting every problem
/// at once: unknown node type or param (with a did-you-mean), wrong param type, missing param or input,
/// unknown input, reference to an unknown node or output, and cycles (printed as a path).
public enum GraphBuilder {
    public static func build(_ workflow: ResolvedWorkflow, registry: NodeRegistry) throws(SpecError) -> Graph {
        var sink = DiagnosticSink()
        let indexByName = Dictionary(workflow.nodes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })

        // Pass 1: types and params, so output names are known before edges are resolved.
        var bound: [(type: any NodeType, params: [String: Value])?] = []
        for node in workflow.nodes {
            guard let type = registry[node.type] else {
                sink.error(node.typeLocation, "unknown node type '\(node.type)' in stage '\(node.name)'",
                           hint: Suggestion.hint(for: node.type, in: registry.names, noun: "node type"))
                bound.append(nil)
                continue
            }
            var params: [String: Value] = [:]
            for (name, located) in node.params.sorted(by: { $0.key < $1.key }) {
                guard let spec = type.params.first(where: { $0.name == name }) else {
                    sink.error(located.nameLocation, "node type '\(type.name)' has no param '\(name)'",
                               hint: Suggestion.hint(for: name, in: type.params.map(\.name), noun: "param"))
                    continue
                }
                if let problem = spec.problem(with: located.value) {
                    sink.error(located.location, "param '\(name)' of '\(node.name)' \(problem)", hint: spec.doc)
                    continue
                }
                params[name] = located.value
            }
            for spec in type.params where params[spec.name] == nil && node.params[spec.name] == nil {
                if let d = spec.defaultValue {
                    params[spec.name] = d
                } else {
                    sink.error(node.location, "stage '\(node.name)' lacks the required param '\(spec.name)'",
                               hint: "add `\(spec.name):` under `with:` (\(spec.doc))")
                }
            }
            if params.count == type.params.count {
                for problem in type.problems(params: params) {
                    sink.error(node.params[problem.param]?.location ?? node.location,
                               "param '\(problem.param)' of '\(node.name)': \(problem.message)",
                               hint: type.params.first { $0.name == problem.param }?.doc)
                }
            }
            for path in type.workspaceFiles(params: params).writes where !Self.staysInside(path) {
                let at = node.params.values.first { $0.value.listValue?.contains(.string(path)) == true }?.location ?? node.location
                sink.error(at, "'\(path)' would be written outside the workflow's directory",
                           hint: "outputs are paths relative to the workflow file's directory, without '..' or a leading '/'")
            }
            bound.append((type, params))
        }

        // Pass 2: edges.
        var writers: [String: Edge] = [:]
        for (i, b) in bound.enumerated() {
            guard let b else { continue }
            for path in b.type.workspaceFiles(params: b.params).writes { writers[path] = Edge(node: i, output: path) }
        }
        var planned: [PlannedNode] = []
        for (i, node) in workflow.nodes.enumerated() {
            guard let (type, params) = bound[i] else { continue }
            var inputs: [String: [Edge]] = [:]
            var deps: Set<Int> = []
            for (inputName, refs) in node.inputs.sorted(by: { $0.key < $1.key }) {
                guard let spec = type.inputs.first(where: { $0.name == inputName }) else {
                    sink.error(refs.first?.location ?? node.location, "node type '\(type.name)' has no input '\(inputName)'",
                               hint: Suggestion.hint(for: inputName, in: type.inputs.map(\.name), noun: "input"))
                    continue
                }
                if !spec.multiple && refs.count != 1 {
                    sink.error(refs.first?.location ?? node.location, "input '\(inputName)' takes one reference, found \(refs.count)")
                }
                var edges: [Edge] = []
                for ref in refs {
                    guard let j = indexByName[ref.node] else {
                        sink.error(ref.location, "'\(ref.description)' refers to no node named '\(ref.node)'",
                                   hint: Suggestion.hint(for: ref.node, in: Array(indexByName.keys), noun: "node"))
                        continue
                    }
                    guard let (upType, upParams) = bound[j] else { continue }
                    let outs = upType.outputs(params: upParams)
                    let output: String
                    if let o = ref.output {
                        guard outs.contains(o) else {
                            sink.error(ref.location, "node '\(ref.node)' has no output '\(o)'",
                                       hint: Suggestion.hint(for: o, in: outs, noun: "output"))
                            continue
                        }
                        output = o
                    } else if outs.count == 1 {
                        output = outs[0]
                    } else {
                        sink.error(ref.location, "node '\(ref.node)' has several outputs; name one",
                                   hint: "write " + outs.prefix(3).map { "\(ref.node).\($0)" }.joined(separator: " or "))
                        continue
                    }
                    edges.append(Edge(node: j, output: output))
                    deps.insert(j)
                }
                inputs[inputName] = edges
            }
            let required = Set(type.requiredInputs(params: params))
            for spec in type.inputs where required.contains(spec.name) && node.inputs[spec.name] == nil {
                sink.error(node.location, "stage '\(node.name)' lacks the required input '\(spec.name)'",
                           hint: "add `inputs: {\(spec.name): <node>}` (\(spec.doc))")
            }
            let files = type.workspaceFiles(params: params)
            var sourceFiles: [String] = [], produced: [String: Edge] = [:]
            for path in files.reads {
                if let w = writers[path], w.node != i { produced[path] = w; deps.insert(w.node) } else { sourceFiles.append(path) }
            }
            let identity = params.filter { name, _ in type.params.first { $0.name == name }?.entersKey(params) ?? true }
            planned.append(PlannedNode(index: i, name: node.name, type: type, source: node, params: params,
                                       identityParams: identity, inputs: inputs, sourceFiles: sourceFiles,
                                       producedFiles: produced, workspaceWrites: files.writes,
                                       outputs: type.outputs(params: params), dependencies: deps.sorted()))
        }
        try sink.check()
        return try ordered(workflow, planned)
    }

    /// Whether a workspace path names something inside the workflow's directory (relative, no `..`).
    static func staysInside(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    /// Kahn's algorithm; on a cycle, reports one cycle as `a → b → a`.
    static func ordered(_ workflow: ResolvedWorkflow, _ nodes: [PlannedNode]) throws(SpecError) -> Graph {
        var dependents = Array(repeating: [Int](), count: nodes.count)
        var pending = nodes.map(\.dependencies.count)
        for n in nodes { for d in n.dependencies { dependents[d].append(n.index) } }
        var ready = nodes.indices.filter { pending[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        while let n = ready.popLast() {
            order.append(n)
            for d in dependents[n].reversed() {
                pending[d] -= 1
                if pending[d] == 0 { ready.append(d) }
            }
        }
        if order.count < nodes.count {
            let stuck = Set(nodes.indices).subtracting(order)
            var path: [Int] = [stuck.min()!]
            while true {
                let next = nodes[path.last!].dependencies.first { stuck.contains($0) }!
                if let at = path.firstIndex(of: next) {
                    let cycle = Array(path[at...]) + [next]
                    let names = cycle.reversed().map { nodes[$0].name }
                    throw SpecError(nodes[next].source.location, "the stages form a cycle: " + names.joined(separator: " → "),
                                    hint: "a stage cannot depend on its own output; break one of these edges")
                }
                path.append(next)
            }
        }
        return Graph(workflow: workflow, nodes: nodes, order: order, dependents: dependents)
    }
}
