/// A place in a workflow file (or on the command line) that a diagnostic can point at.
/// Lines and columns are 1-based, as editors and compilers print them.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form every diagnostic starts with.
    public var description: String { "\(file):\(line):\(column)" }

    /// The same line, `offset` characters further right (for errors inside a scalar).
    public func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }
}
