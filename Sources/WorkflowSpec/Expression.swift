import NodeKit
/// `${…}` expressions inside workflow scalars: names, numbers, strings, arithmetic, comparisons and
/// `cond ? a : b`. Pure: an expression sees only the variables it is given.
///
/// Grammar (lowest precedence first): `?:`, `||`, `&&`, comparisons, `+ -`, `* / // %`, unary `- !`,
/// primaries (number, 'string', name, name.name, `( expr )`, `min(a, b)`, `max(a, b)`).
///
/// Bounded: integer arithmetic that would overflow, a result that is not a finite number and nesting
/// deeper than `maxDepth` are errors at their offset, never a trap or a stack overflow.
public enum Expression {
    /// Deepest nesting of parentheses, unary operators and conditionals in one expression.
    public static let maxDepth = 64

    /// An error at a character offset inside the expression text.
    public struct Failure: Error, Sendable {
        public var offset: Int
        public var message: String
        public var hint: String?
    }

    public static func evaluate(_ text: String, variables: [String: Value]) throws(Failure) -> Value {
        var parser = ExpressionParser(text: Array(text), variables: variables)
        let value = try parser.parseTernary()
        parser.skipSpace()
        if parser.position < parser.text.count {
            throw Failure(offset: parser.position, message: "unexpected '\(parser.text[parser.position])' in expression",
                          hint: "expressions use + - * / // % == != < <= > >= && || ! and ?:")
        }
        return value
    }
}

private struct ExpressionParser {
    let text: [Character]
    let variables: [String: Value]
    var position = 0
    var depth = 0

    typealias Failure = Expression.Failure

    /// Runs `body` one nesting level deeper, failing past `Expression.maxDepth`.
    mutating func nested(_ body: (inout ExpressionParser) throws(Failure) -> Value) throws(Failure) -> Value {
        guard depth < Expression.maxDepth else {
            throw Failure(offset: position, message: "expression nests deeper than \(Expression.maxDepth) levels",
                          hint: "split it into params that build on each other")
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    mutating func skipSpace() {
        while position < text.count, text[position] == " " { position += 1 }
    }

    /// Consumes `token` if it comes next. Callers try longer operators first (`//` before `/`).
    mutating func take(_ token: String) -> Bool {
        skipSpace()
        let chars = Array(token)
        guard position + chars.count <= text.count, Array(text[position..<position + chars.count]) == chars else {
            return false
        }
        position += chars.count
        return true
    }

    mutating func parseTernary() throws(Failure) -> Value {
        try nested { parser throws(Failure) in
            let condition = try parser.parseOr()
            guard parser.take("?") else { return condition }
            let yes = try parser.parseTernary()
            guard parser.take(":") else {
                throw Failure(offset: parser.position, message: "expected ':' in 'cond ? a : b'", hint: nil)
            }
            let no = try parser.parseTernary()
            return try parser.truth(condition, at: parser.position) ? yes : no
        }
    }

    mutating func parseOr() throws(Failure) -> Value {
        var left = try parseAnd()
        while take("||") {
            let start = position
            let right = try parseAnd()
            let l = try truth(left, at: start), r = try truth(right, at: start)
            left = .bool(l || r)
        }
        return left
    }

    mutating func parseAnd() throws(Failure) -> Value {
        var left = try parseComparison()
        while take("&&") {
            let start = position
            let right = try parseComparison()
            let l = try truth(left, at: start), r = try truth(right, at: start)
            left = .bool(l && r)
        }
        return left
    }

    mutating func parseComparison() throws(Failure) -> Value {
        let left = try parseSum()
        for op in ["==", "!=", "<=", ">=", "<", ">"] where take(op) {
            let start = position
            let right = try parseSum()
            return .bool(try compare(left, right, op, at: start))
        }
        return left
    }

    mutating func parseSum() throws(Failure) -> Value {
        var left = try parseProduct()
        while true {
            let start = position
            if take("+") { left = try arithmetic(left, try parseProduct(), "+", at: start) }
            else if take("-") { left = try arithmetic(left, try parseProduct(), "-", at: start) }
            else { return left }
        }
    }

    mutating func parseProduct() throws(Failure) -> Value {
        var left = try parseUnary()
        while true {
            let start = position
            if take("//") { left = try arithmetic(left, try parseUnary(), "//", at: start) }
            else if take("*") { left = try arithmetic(left, try parseUnary(), "*", at: start) }
            else if take("/") { left = try arithmetic(left, try parseUnary(), "/", at: start) }
            else if take("%") { left = try arithmetic(left, try parseUnary(), "%", at: start) }
            else { return left }
        }
    }

    mutating func parseUnary() throws(Failure) -> Value {
        let start = position
        if take("-") { return try arithmetic(.int(0), try nested { p throws(Failure) in try p.parseUnary() }, "-", at: start) }
        if take("!") { return .bool(!(try truth(try nested { p throws(Failure) in try p.parseUnary() }, at: start))) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(Failure) -> Value {
        skipSpace()
        guard position < text.count else {
            throw Failure(offset: position, message: "expression ends too early", hint: "complete the expression")
        }
        let c = text[position]
        if take("(") {
            let inner = try parseTernary()
            guard take(")") else { throw Failure(offset: position, message: "missing ')'", hint: nil) }
            return inner
        }
        if c == "'" || c == "\"" {
            let start = position
            position += 1
            var s = ""
            while position < text.count, text[position] != c { s.append(text[position]); position += 1 }
            guard position < text.count else {
                throw Failure(offset: start, message: "unterminated string", hint: "close it with \(c)")
            }
            position += 1
            return .string(s)
        }
        if c.isNumber {
            let start = position
            while position < text.count, text[position].isNumber || text[position] == "." || text[position] == "e" {
                position += 1
            }
            let literal = String(text[start..<position])
            if let i = Int(literal) { return .int(i) }
            if let d = Double(literal) { return .double(d) }
            throw Failure(offset: start, message: "bad number '\(literal)'", hint: nil)
        }
        if c.isLetter || c == "_" {
            let start = position
            while position < text.count,
                  text[position].isLetter || text[position].isNumber || text[position] == "_" || text[position] == "." {
                position += 1
            }
            let name = String(text[start..<position])
            if name == "true" { return .bool(true) }
            if name == "false" { return .bool(false) }
            if name == "min" || name == "max", take("(") {
                let a = try parseTernary()
                guard take(",") else { throw Failure(offset: position, message: "\(name) takes two arguments", hint: nil) }
                let b = try parseTernary()
                guard take(")") else { throw Failure(offset: position, message: "missing ')'", hint: nil) }
                let less = try compare(a, b, "<", at: start)
                return (name == "min") == less ? a : b
            }
            let key = name.hasPrefix("params.") ? String(name.dropFirst(7)) : name
            guard let value = variables[key] else {
                throw Failure(offset: start, message: "unknown name '\(name)' in expression",
                              hint: Suggestion.hint(for: key, in: Array(variables.keys), noun: "name")
                                  + " (write $${ for a literal ${)")
            }
            return value
        }
        throw Failure(offset: position, message: "unexpected '\(c)' in expression", hint: nil)
    }

    func truth(_ v: Value, at offset: Int) throws(Failure) -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        default: throw Failure(offset: offset, message: "expected a condition, found a \(v.typeName)", hint: nil)
        }
    }

    func compare(_ a: Value, _ b: Value, _ op: String, at offset: Int) throws(Failure) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue {
            switch op {
            case "==": return x == y
            case "!=": return x != y
            case "<": return x < y
            case "<=": return x <= y
            case ">": return x > y
            default: return x >= y
            }
        }
        if op == "==" { return a == b }
        if op == "!=" { return a != b }
        if case .string(let x) = a, case .string(let y) = b {
            return op == "<" ? x < y : op == "<=" ? x <= y : op == ">" ? x > y : x >= y
        }
        throw Failure(offset: offset, message: "cannot compare \(a.typeName) with \(b.typeName)", hint: nil)
    }

    func arithmetic(_ a: Value, _ b: Value, _ op: String, at offset: Int) throws(Failure) -> Value {
        if op == "+", case .string(let x) = a { return .string(x + b.description) }
        if case .int(let x) = a, case .int(let y) = b { return try integer(x, y, op, at: offset) }
        guard let x = a.doubleValue, let y = b.doubleValue else {
            throw Failure(offset: offset, message: "'\(op)' needs numbers, found \(a.typeName) and \(b.typeName)",
                          hint: nil)
        }
        if y == 0 && op != "+" && op != "-" && op != "*" {
            throw Failure(offset: offset, message: "division by zero", hint: nil)
        }
        let result: Double
        switch op {
        case "+": result = x + y
        case "-": result = x - y
        case "*": result = x * y
        case "//": result = (x / y).rounded(.down)
        case "%": result = x.truncatingRemainder(dividingBy: y)
        default: result = x / y
        }
        guard result.isFinite else {
            throw Failure(offset: offset, message: "'\(op)' gives \(result), not a finite number",
                          hint: "workflow values are finite numbers")
        }
        return .double(result)
    }

    /// Integer arithmetic: `//` floors and `%` takes the divisor's sign (Python's rules); an overflow is an error.
    func integer(_ x: Int, _ y: Int, _ op: String, at offset: Int) throws(Failure) -> Value {
        if (op == "%" || op == "//" || op == "/") && y == 0 {
            throw Failure(offset: offset, message: "division by zero", hint: nil)
        }
        let (result, overflow): (Int, Bool)
        switch op {
        case "+": (result, overflow) = x.addingReportingOverflow(y)
        case "-": (result, overflow) = x.subtractingReportingOverflow(y)
        case "*": (result, overflow) = x.multipliedReportingOverflow(by: y)
        case "%":
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            // Int.min % -1 overflows in the machine instruction but is 0 mathematically.
            let remainder = o ? 0 : r
            (result, overflow) = (remainder != 0 && (remainder < 0) != (y < 0) ? remainder + y : remainder, false)
        case "//":
            let (q, o) = x.dividedReportingOverflow(by: y)
            let r = x.remainderReportingOverflow(dividingBy: y).partialValue
            (result, overflow) = (r != 0 && (x < 0) != (y < 0) ? q - 1 : q, o)
        default:
            if x.remainderReportingOverflow(dividingBy: y).partialValue == 0 {
                (result, overflow) = x.dividedReportingOverflow(by: y)
            } else {
                return .double(Double(x) / Double(y))
            }
        }
        guard !overflow else {
            throw Failure(offset: offset, message: "'\(op)' overflows: \(x) \(op) \(y) is outside the 64-bit integer range",
                          hint: "workflow integers lie within ±\(Int.max)")
        }
        return .int(result)
    }
}
