import Testing
import WorkflowSpec

@Suite struct ExpressionTests {
    let vars: [String: Value] = ["i": .int(3), "lr": .double(0.5), "name": .string("judge")]

    @Test func arithmeticKeepsIntegersIntegral() throws {
        #expect(try Expression.evaluate("i - 1", variables: vars) == .int(2))
        #expect(try Expression.evaluate("(i + 1) * 2 // 3", variables: vars) == .int(2))
        #expect(try Expression.evaluate("i / 2", variables: vars) == .double(1.5))
        #expect(try Expression.evaluate("lr * 2", variables: vars) == .double(1.0))
        #expect(try Expression.evaluate("-i % 2", variables: vars) == .int(1))
    }

    @Test func comparisonsAndConditionals() throws {
        #expect(try Expression.evaluate("i == 3 ? 'first' : 'later'", variables: vars) == .string("first"))
        #expect(try Expression.evaluate("i > 1 && i <= 3", variables: vars) == .bool(true))
        #expect(try Expression.evaluate("max(i, 10)", variables: vars) == .int(10))
    }

    @Test func unknownNamesSuggestTheClosest() {
        do {
            _ = try Expression.evaluate("nme + 1", variables: vars)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 0)
            #expect(error.hint?.contains("did you mean 'name'?") == true)
        }
    }

    @Test func interpolationTypesWholeScalarsAndSplicesText() {
        var sink = DiagnosticSink()
        let interpolation = Interpolation(variables: vars)
        let at = SourceLocation(file: "w.yaml", line: 1, column: 1)
        #expect(interpolation.value(of: .scalar("${i - 1}", at: at), into: &sink) == .int(2))
        #expect(interpolation.value(of: .scalar("judge@${i - 1}", at: at), into: &sink) == .string("judge@2"))
        #expect(interpolation.value(of: .scalar("cost $${HOME}", at: at), into: &sink) == .string("cost ${HOME}"))
        #expect(sink.isEmpty)
    }

    @Test func badInterpolationIsReportedAtItsColumn() {
        var sink = DiagnosticSink()
        let at = SourceLocation(file: "w.yaml", line: 4, column: 10)
        _ = Interpolation(variables: vars).value(of: .scalar("x ${i +}", at: at), into: &sink)
        #expect(sink.diagnostics.first?.location == SourceLocation(file: "w.yaml", line: 4, column: 17))
    }
}

@Suite struct QuotedInterpolationTests {
    @Test func quotedWholeExpressionKeepsItsType() throws {
        let wf = try load(["w.yaml": "params: {n: 3}\nstages:\n  a: {uses: t, with: {x: \"${n}\", y: \"n=${n}\"}}\n"])
        #expect(wf.nodes[0].params["x"]?.value == .int(3))
        #expect(wf.nodes[0].params["y"]?.value == .string("n=3"))
    }
}
