import NodeKit

/// The workflow's `servers:`: model servers JudgeFlow starts for the stages that name one. Each entry is
/// a command template — `vllm serve {model} --port {port}`, `llama-server -m {model} --port {port}` —
/// written as a string or as `{command: …, ready_timeout: seconds}`; `${…}` works in it as in params. A
/// stage's `server: NAME` param becomes its `server_command` (and `server_timeout`), which the model-facing
/// node types read; an unknown name is an error at that param.
struct Servers {
    struct Entry {
        var command: String
        var readyTimeout: Double?
        var location: SourceLocation
    }

    var entries: [String: Entry] = [:]

    init(_ node: YAMLNode?, interpolation: Interpolation, sink: inout DiagnosticSink) {
        guard let node, !node.isNull else { return }
        guard let list = node.entries else {
            sink.error(node.location, "`servers` must be a map of name: command", hint: "e.g. servers: {judge: \"vllm serve {model} --port {port}\"}")
            return
        }
        for entry in list {
            var command: Value = .string("")
            var timeout: Double?
            if let fields = entry.value.entries {
                for field in fields where !["command", "ready_timeout"].contains(field.key) {
                    sink.error(field.keyLocation, "unknown server key '\(field.key)'", hint: "a server has `command` and `ready_timeout`")
                }
                command = entry.value["command"].map { interpolation.value(of: $0, into: &sink) } ?? .string("")
                if let t = entry.value["ready_timeout"] {
                    timeout = interpolation.value(of: t, into: &sink).doubleValue
                    if !(timeout.map { $0.isFinite && $0 >= 1 && $0 <= 86_400 } ?? false) {
                        sink.error(t.location, "ready_timeout must be a number of seconds in 1…86400")
                        timeout = nil
                    }
                }
            } else {
                command = interpolation.value(of: entry.value, into: &sink)
            }
            guard case .string(let text) = command, !text.isEmpty else {
                sink.error(entry.value.location, "server '\(entry.key)' needs a command",
                           hint: "e.g. \(entry.key): \"llama-server -m {model} --port {port}\"")
                continue
            }
            if !text.contains("{port}") {
                sink.error(entry.value.location, "server '\(entry.key)': the command never names {port}",
                           hint: "JudgeFlow picks a free port and puts it where {port} is")
            }
            entries[entry.key] = Entry(command: text, readyTimeout: timeout, location: entry.value.location)
        }
    }

    /// Replaces each `server: NAME` with the named server's command and timeout.
    func apply(to nodes: inout [ResolvedNode], sink: inout DiagnosticSink) {
        for n in nodes.indices {
            guard let named = nodes[n].params["server"], case .string(let name) = named.value, !name.isEmpty else { continue }
            guard let entry = entries[name] else {
                sink.error(named.location, "stage '\(nodes[n].name)' names server '\(name)', which `servers:` does not declare",
                           hint: entries.isEmpty ? "add `servers: {\(name): \"… {model} --port {port}\"}` at the top level"
                               : Suggestion.hint(for: name, in: entries.keys.sorted(), noun: "server"))
                continue
            }
            nodes[n].params["server_command"] = LocatedValue(.string(entry.command), at: entry.location)
            if let timeout = entry.readyTimeout { nodes[n].params["server_timeout"] = LocatedValue(.double(timeout), at: entry.location) }
        }
    }
}
