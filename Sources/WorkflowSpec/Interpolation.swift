import NodeKit
/// Turns located YAML into typed values, expanding `${expr}` in every scalar.
///
/// A scalar that is exactly one `${expr}` takes the expression's type (`${i - 1}` stays an int, also when
/// quoted as `"${i - 1}"`, which flow-style YAML needs);
/// `${…}` inside longer text is spliced in as text. `$${` writes a literal `${`. `${expr:q}` splices the
/// value shell-quoted (one word for `sh`/`bash`, whatever characters it holds): interpolation is text
/// substitution, so a value written into a shell `cmd` without `:q` is read by the shell as code.
public struct Interpolation: Sendable {
    public var variables: [String: Value]

    public init(variables: [String: Value]) { self.variables = variables }

    /// The node as a typed value; problems go to `sink` and the faulty scalar becomes `.null`.
    public func value(of node: YAMLNode, into sink: inout DiagnosticSink) -> Value {
        switch node.kind {
        case .scalar(let text, let plain):
            return scalar(text, plain: plain, at: node.location, into: &sink)
        case .list(let items):
            return .list(items.map { value(of: $0, into: &sink) })
        case .map(let entries):
            var map: [String: Value] = [:]
            for entry in entries { map[entry.key] = value(of: entry.value, into: &sink) }
            return .map(map)
        }
    }

    /// The scalar's text after interpolation (for names and references, which are always text).
    public func text(of node: YAMLNode, into sink: inout DiagnosticSink) -> String {
        guard case .scalar = node.kind else {
            sink.error(node.location, "expected a single value, found \(node.kindName)")
            return ""
        }
        return value(of: node, into: &sink).description
    }

    /// Whether `text` holds `${` — a byte scan: Foundation's `contains` on strings goes through
    /// `CFStringFind`, which was a third of expanding a 1000-stage workflow.
    static func mayInterpolate(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    func scalar(_ text: String, plain: Bool, at location: SourceLocation, into sink: inout DiagnosticSink) -> Value {
        guard Self.mayInterpolate(text) else { return Value.typed(scalar: text, plain: plain) }
        let chars = Array(text)
        // Column of the scalar's first character: quoted scalars start one column later.
        let base = plain ? location : location.advanced(by: 1)
        var pieces: [Value] = []
        var literal = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                literal += "${"
                i += 3
                continue
            }
            guard chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" else {
                literal.append(chars[i])
                i += 1
                continue
            }
            guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                sink.error(base.advanced(by: i), "'${' is never closed", hint: "add '}' or write $${ for a literal ${")
                return .null
            }
            var expression = String(chars[(i + 2)..<close])
            let quoted = Self.dropQuoteModifier(&expression)
            do {
                var v = try Expression.evaluate(expression, variables: variables)
                if quoted { v = .string(Self.shellQuoted(v.description)) }
                if !literal.isEmpty { pieces.append(.string(literal)); literal = "" }
                pieces.append(v)
            } catch {
                sink.error(base.advanced(by: i + 2 + error.offset), error.message, hint: error.hint)
                return .null
            }
            i = close + 1
        }
        if !literal.isEmpty { pieces.append(.string(literal)) }
        // Exactly one expression keeps its type, quoted or not: quotes in YAML only protect the braces.
        if pieces.count == 1 { return pieces[0] }
        return .string(pieces.map(\.description).joined())
    }

    /// Strips a trailing `:q` (the shell-quoting modifier); a `?` before it makes it part of `c ? a : q`.
    static func dropQuoteModifier(_ expression: inout String) -> Bool {
        let trimmed = expression.reversed().drop { $0 == " " }
        guard trimmed.first == "q" else { return false }
        let beforeQ = trimmed.dropFirst().drop { $0 == " " }
        guard beforeQ.first == ":", !beforeQ.contains("?") else { return false }
        expression = String(beforeQ.dropFirst().reversed())
        return true
    }

    /// POSIX single-quoting (`Subprocess.quoted`).
    public static func shellQuoted(_ text: String) -> String { Subprocess.quoted(text) }
}
