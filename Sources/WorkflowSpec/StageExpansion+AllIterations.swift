/// `stage@*` in inputs: every iteration of a repeated stage, in iteration order.
///
/// A stage outside a repeat group can read all of its iterations without naming them, so a list like
/// `evals: [eval0, "eval@*"]` grows and shrinks with `--set iterations=N`. Expansion runs after every
/// group is unrolled (a group may be declared after the stage that reads it). `@*` on a stage that is not
/// in a repeat group is an error at the reference; `repeat: 0` expands to no references.
extension StageExpansion {
    static let allIterationsSuffix = "@*"

    /// The stage an `@*` reference names, or nil for any other reference.
    static func allIterationsStage(_ ref: Reference) -> String? {
        ref.node.hasSuffix(allIterationsSuffix) ? String(ref.node.dropLast(allIterationsSuffix.count)) : nil
    }

    /// Replaces each `stage@*` reference by `stage@first … stage@last`, keeping the list's order around it.
    mutating func expandAllIterationReferences() {
        for n in nodes.indices {
            for (input, refs) in nodes[n].inputs where refs.contains(where: { Self.allIterationsStage($0) != nil }) {
                nodes[n].inputs[input] = refs.flatMap { everyIteration($0) }
            }
        }
    }

    private mutating func everyIteration(_ ref: Reference) -> [Reference] {
        guard let stage = Self.allIterationsStage(ref) else { return [ref] }
        guard let iterations = iterationsByStage[stage] else {
            let runsOnce = nodes.contains { $0.name == stage }
            sink.error(ref.location, "'\(ref.description)' reads every iteration of '\(stage)', which is not a stage of a repeat group",
                       hint: runsOnce
                           ? "'\(stage)' runs once: write `\(stage)`; `name@*` is for stages inside `repeat`"
                           : Suggestion.hint(for: stage, in: iterationsByStage.keys.sorted(), noun: "repeated stage"))
            return []
        }
        return iterations.map { Reference(node: "\(stage)@\($0)", output: ref.output, location: ref.location) }
    }
}
