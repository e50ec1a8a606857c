/// Typed reads of a node's params. The graph builder has already filled every declared default and
/// checked each value against its `ParamSpec` (kind, range) and the type's `problems(params:)`, so a
/// node reads `try params.int("steps")` and never restates a default; a missing or mistyped value here
/// means the schema and the reader disagree, and fails the node (never the process).
extension Dictionary where Key == String, Value == NodeKit.Value {
    public func int(_ name: String) throws -> Int {
        guard case .int(let i)? = self[name] else { throw mismatch(name, "an int") }
        return i
    }

    /// A number; an int is accepted where a number is declared.
    public func double(_ name: String) throws -> Double {
        guard let d = self[name]?.doubleValue else { throw mismatch(name, "a number") }
        return d
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let s)? = self[name] else { throw mismatch(name, "a string") }
        return s
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b)? = self[name] else { throw mismatch(name, "a bool") }
        return b
    }

    public func list(_ name: String) throws -> [NodeKit.Value] {
        guard case .list(let l)? = self[name] else { throw mismatch(name, "a list") }
        return l
    }

    public func map(_ name: String) throws -> [String: NodeKit.Value] {
        guard case .map(let m)? = self[name] else { throw mismatch(name, "a map") }
        return m
    }

    /// A seed: a non-negative int (its `ParamSpec` range says so) as the generators' unsigned type.
    public func seed(_ name: String) throws -> UInt64 {
        let i = try int(name)
        guard i >= 0 else { throw NodeError.invalid("param '\(name)' must be a non-negative seed, found \(i)") }
        return UInt64(i)
    }

    private func mismatch(_ name: String, _ kind: String) -> NodeError {
        NodeError.invalid("param '\(name)' is not \(kind) (\(self[name].map { "found \($0.typeName)" } ?? "missing")); "
                          + "the node type's schema and its reader disagree")
    }
}
