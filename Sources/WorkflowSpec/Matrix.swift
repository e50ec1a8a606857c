import NodeKit
/// `matrix:` — variables whose combinations expand the workflow into variants (ablation arms).
///
/// ```yaml
/// matrix:
///   filter: [majority, correct-answer]   # cartesian product over every listed variable
///   exclude: [{filter: majority}]        # optional: drop combinations matching all given keys
///   include: [{filter: majority, cap: 100}]   # optional: extra variants, appended
/// ```
/// Variants that resolve a node identically share it, so upstream nodes are built once.
public struct Matrix: Sendable, Equatable {
    /// One assignment of the matrix variables, in declaration order.
    public typealias Variant = [(name: String, value: Value)]

    public var variants: [[String: Value]]
    /// Variable names in declaration order (for naming nodes `stage[var=value]`).
    public var variableNames: [String]

    static let none = Matrix(variants: [[:]], variableNames: [])
    /// Most variants a matrix may expand to.
    static let maxVariants = 1_000

    init(variants: [[String: Value]], variableNames: [String]) {
        self.variants = variants
        self.variableNames = variableNames
    }

    init(node: YAMLNode, interpolation: Interpolation, sink: inout DiagnosticSink) {
        guard let entries = node.entries else {
            sink.error(node.location, "`matrix` must be a map of variable → list of values")
            self = .none
            return
        }
        var combos: [[String: Value]] = [[:]]
        var names: [String] = []
        var includes: [[String: Value]] = []
        var excludes: [[String: Value]] = []
        for entry in entries {
            let value = interpolation.value(of: entry.value, into: &sink)
            switch entry.key {
            case "include", "exclude":
                guard case .list(let items) = value, items.allSatisfy({ if case .map = $0 { true } else { false } }) else {
                    sink.error(entry.value.location, "`\(entry.key)` must be a list of maps")
                    continue
                }
                let maps = items.compactMap { if case .map(let m) = $0 { m } else { nil } }
                if entry.key == "include" { includes += maps } else { excludes += maps }
                for map in maps { for key in map.keys.sorted() where !names.contains(key) { names.append(key) } }
            default:
                guard case .list(let values) = value, !values.isEmpty else {
                    sink.error(entry.value.location, "matrix variable '\(entry.key)' needs a non-empty list of values",
                               hint: "write \(entry.key): [a, b]")
                    continue
                }
                if !names.contains(entry.key) { names.append(entry.key) }
                guard combos.count.multipliedReportingOverflow(by: values.count).partialValue <= Self.maxVariants,
                      combos.count <= Self.maxVariants else {
                    sink.error(entry.value.location, "the matrix expands to more than \(Self.maxVariants) variants",
                               hint: "split the sweep into several workflows, or use include: for the arms you need")
                    continue
                }
                combos = combos.flatMap { combo in values.map { combo.merging([entry.key: $0]) { $1 } } }
            }
        }
        if combos == [[:]], !includes.isEmpty { combos = [] }
        combos.removeAll { combo in excludes.contains { ex in ex.allSatisfy { combo[$0.key] == $0.value } } }
        self.variants = combos + includes
        self.variableNames = names
        if variants.isEmpty {
            sink.error(node.location, "the matrix expands to no variant", hint: "check `exclude`")
            self.variants = [[:]]
        }
    }
}
