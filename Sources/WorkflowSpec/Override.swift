import NodeKit
/// One `--set target=value` from the command line.
///
/// `target` is a top-level param (`seed`, or `params.seed`) or a stage param (`stage.param`, where
/// stage is a name as written — applying to every iteration and variant — or one unrolled node such as
/// `judge@3`). The value is typed like a plain YAML scalar.
public struct Override: Sendable, Equatable {
    public var target: String
    public var value: Value
    /// Where the override was written: `--set:N:col`, N counting from 1 over all `--set` flags.
    public var location: SourceLocation

    public init(parsing text: String, index: Int) throws(SpecError) {
        location = SourceLocation(file: "--set", line: index + 1, column: 1)
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw SpecError(location, "'--set \(text)' is not of the form target=value",
                            hint: "write --set stage.param=value or --set param=value")
        }
        target = String(text[..<eq])
        value = Value.typed(scalar: String(text[text.index(after: eq)...]), plain: true)
    }

    /// `(stage, param)` for a stage override, nil for a top-level param.
    var stageTarget: (stage: String, param: String)? {
        if target.hasPrefix("params.") { return nil }
        guard let dot = target.firstIndex(of: ".") else { return nil }
        return (String(target[..<dot]), String(target[target.index(after: dot)...]))
    }

    var paramName: String { target.hasPrefix("params.") ? String(target.dropFirst(7)) : target }
}
