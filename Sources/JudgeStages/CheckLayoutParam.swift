import NodeKit

/// The `checks` param of the embedded judge's nodes (`judge.traces`, `judge.train`, `judge.eval`): the
/// `CellChecks.Layout` a judge is trained and read with. Declared here once so the three agree on its
/// name, values and default.
extension CellChecks.Layout {
    static func param(onlyWith condition: [(param: String, value: String)]) -> ParamSpec {
        ParamSpec("checks", .oneOf(allCases.map(\.rawValue)), default: .string(Self.default.rawValue), onlyWith: condition,
                  doc: "how a response stands beside the judge's own answer: word-verdicts (word by word, a verdict after each word), "
                      + "interleaved (word by word, one verdict) or sequential (`i see`); train and read a judge alike")
    }

    /// The layouts' names as a command line spells a choice: `word-verdicts|interleaved|sequential`.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: "|") }

    static func read(_ params: [String: Value]) throws -> Self {
        let text = try params.string("checks")
        guard let layout = Self(rawValue: text) else {
            throw NodeError.invalid("param 'checks' must be one of " + allCases.map(\.rawValue).joined(separator: ", ") + ", found \(text)")
        }
        return layout
    }
}
