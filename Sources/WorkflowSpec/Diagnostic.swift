/// A user-facing problem in a workflow: where, what, and how to fix it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `file:line:col: error: message` followed by an indented `hint:` line when there is one.
    public var description: String {
        var text = "\(location): error: \(message)"
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }
}

/// Every problem found in one pass, reported together (exit code 2 at the CLI).
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.diagnostics = [Diagnostic(location, message, hint: hint)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a pass keeps going, so a user sees all errors at once. A stage of a repeat
/// group is resolved once per iteration; an identical diagnostic (same place, message and hint) is kept once.
public struct DiagnosticSink: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    private var seen: Set<Diagnostic> = []
    public init() {}
    public mutating func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        let diagnostic = Diagnostic(location, message, hint: hint)
        if seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }
    public mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other where seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }
    public var isEmpty: Bool { diagnostics.isEmpty }
    /// Throws the collected diagnostics, if any.
    public func check() throws(SpecError) {
        if !diagnostics.isEmpty { throw SpecError(diagnostics) }
    }
}
