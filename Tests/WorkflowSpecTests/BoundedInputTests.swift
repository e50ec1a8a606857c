import Foundation
import Testing
import WorkflowSpec

/// Hostile workflow files get a located error in bounded time and memory, never a trap, a stack
/// overflow or gigabytes (the parser and expansion reproducers of the reliability campaign).
@Suite struct BoundedInputTests {
    func firstError(_ text: String, file: String = "w.yaml") -> String? {
        errors([file: text], file).first
    }

    @Test(arguments: ["9223372036854775807 // 1", "1 % 9223372036854775807", "(-9223372036854775807 - 1) % -1",
                      "(-9223372036854775807 - 1) / -1", "(-9223372036854775807 - 1) // -1"])
    func integerEdgeCasesEvaluateWithoutTrapping(_ text: String) throws {
        // Each is representable except the last two, which overflow and must say so.
        do {
            let value = try Expression.evaluate(text, variables: [:])
            #expect(value.intValue != nil)
        } catch {
            #expect(error.message.contains("overflows"))
        }
    }

    @Test func integerArithmeticFollowsFloorRules() throws {
        #expect(try Expression.evaluate("9223372036854775807 // 1", variables: [:]) == .int(Int.max))
        #expect(try Expression.evaluate("1 % 9223372036854775807", variables: [:]) == .int(1))
        #expect(try Expression.evaluate("-7 // 2", variables: [:]) == .int(-4))
        #expect(try Expression.evaluate("-7 % 2", variables: [:]) == .int(1))
        #expect(try Expression.evaluate("7 % -2", variables: [:]) == .int(-1))
        #expect(try Expression.evaluate("(-9223372036854775807 - 1) % -1", variables: [:]) == .int(0))
    }

    @Test func overflowAndNonFiniteResultsAreLocatedErrors() {
        let overflow = firstError("params:\n  y: ${4611686018427387904 * 4}\nstages: {}\n")
        #expect(overflow?.hasPrefix("w.yaml:2:") == true)
        #expect(overflow?.contains("overflows") == true)
        #expect(firstError("params:\n  y: ${9223372036854775807 + 1}\nstages: {}\n")?.contains("overflows") == true)
        #expect(firstError("params:\n  y: ${1e308 * 10}\nstages: {}\n")?.contains("not a finite number") == true)
        #expect(firstError("params:\n  y: ${1.0 // 0}\nstages: {}\n")?.contains("division by zero") == true)
        #expect(firstError("params:\n  y: ${1.0 % 0}\nstages: {}\n")?.contains("division by zero") == true)
    }

    @Test func deeplyNestedExpressionsAreAnErrorNotAStackOverflow() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(firstError("params:\n  y: ${\(deep)}\nstages: {}\n")?.contains("nests deeper") == true)
        let negations = String(repeating: "-", count: 10_000) + "1"
        #expect(firstError("params:\n  y: ${\(negations)}\nstages: {}\n")?.contains("nests deeper") == true)
    }

    @Test func repeatAndFromAreBounded() {
        let group = { (head: String) in "stages:\n  g:\n\(head)    stages:\n      a: {uses: shell, with: {cmd: echo}}\n" }
        #expect(firstError(group("    repeat: 9223372036854775807\n"))?.contains("more than the 10000 iterations") == true)
        #expect(firstError(group("    repeat: 1000000000\n"))?.hasPrefix("w.yaml:3:13: error:") == true)
        #expect(firstError(group("    repeat: 1\n    from: 9223372036854775807\n"))?.contains("too large") == true)
        #expect(firstError(group("    repeat: ${4611686018427387904 * 4}\n"))?.contains("overflows") == true)
    }

    @Test func deepCollectionsAreRejectedAtTheirDepthLimit() {
        let flow = String(repeating: "{a: ", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let found = firstError("params:\n  x: \(flow)\nstages: {}\n")
        #expect(found?.contains("nest deeper than \(YAMLReader.maxDepth)") == true)
        let lists = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(firstError("params:\n  x: \(lists)\nstages: {}\n")?.contains("nest deeper") == true)
    }

    @Test func anAnchorBombIsAnErrorNotGigabytes() {
        var text = "x-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "  a\(level): &a\(level) [\(refs)]\n"
        }
        text += "stages:\n  s: {uses: shell, with: {cmd: echo, env: {x: *a9}}}\n"
        #expect(firstError(text)?.contains("expands to more than") == true)
    }

    @Test func manyKeysAreCheckedForDuplicatesInLinearTime() throws {
        let keys = (0..<200_000).map { "  p\($0): \($0)\n" }.joined()
        let clock = ContinuousClock()
        var workflow: ResolvedWorkflow?
        let elapsed = try clock.measure { workflow = try load(["w.yaml": "params:\n" + keys + "stages: {}\n"]) }
        #expect(workflow?.params.count == 200_000)
        // Not a timing assertion of speed, a guard against the quadratic check (which took minutes).
        #expect(elapsed < .seconds(60))
        let duplicate = firstError("params:\n" + keys + "  p7: 1\nstages: {}\n")
        #expect(duplicate?.contains("duplicate key 'p7' (first defined at w.yaml:9:3)") == true)
    }

    @Test func aFileThatExtendsItselfIsNamedAsACycle() {
        let found = firstError("extends: ./self.yaml\nstages: {}\n", file: "self.yaml")
        #expect(found?.contains("forms a cycle") == true)
        let viaDotDot = errors(["d/a.yaml": "extends: ../d/a.yaml\nstages: {}\n"], "d/a.yaml").first
        #expect(viaDotDot?.contains("forms a cycle") == true)
    }

    @Test func matrixVariantsAreBounded() {
        let vars = (0..<8).map { "  v\($0): [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" }.joined()
        #expect(firstError("matrix:\n" + vars + "stages: {}\n")?.contains("more than 1000 variants") == true)
    }

    @Test func quoteModifierShellQuotesAValue() throws {
        let wf = try load(["w.yaml": """
            params: {name: "x; touch PWN1", it: "it's"}
            stages:
              a: {uses: shell, with: {cmd: "echo ${name:q} ${it:q} ${name}", b: "${1 > 0 ? 'y' : 'n'}"}}
            """])
        #expect(wf.nodes[0].params["cmd"]?.value == .string("echo 'x; touch PWN1' 'it'\\''s' x; touch PWN1"))
        #expect(wf.nodes[0].params["b"]?.value == .string("y"))
        #expect(Interpolation.shellQuoted("") == "''")
    }
}
