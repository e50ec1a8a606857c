import NodeKit

/// The `checks` param of the embedded judge's nodes (`judge.traces`, `judge.train`, `judge.eval`): the
/// `CellChecks.Layout` a judge is trained and read with. Declared here once so the three agree on its
/// name, values and default.
extension CellChecks.Layout {
    static func param(onlyWith condition: [(param: String, value: String)]) -> ParamSpec {
        ParamSpec("checks", .oneOf(allCases.map(\.rawValue)), default: .string(Self.default.rawValue), onlyWith: condition,
                  doc: "how a claim stands beside the judge's own object: interleaved word by word or sequential (`i see`); "
                      + "train and read a judge alike")
    }

    static func read(_ params: [String: Value]) throws -> Self {
        let text = try params.string("checks")
        guard let layout = Self(rawValue: text) else {
            throw NodeError.invalid("param 'checks' must be one of " + allCases.map(\.rawValue).joined(separator: ", ") + ", found \(text)")
        }
        return layout
    }
}
