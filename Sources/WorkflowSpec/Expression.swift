import NodeKit
/// `${…}` expressions inside workflow scalars: names, numbers, strings, arithmetic, comparisons and
/// `cond ? a : b`. Pure: an expression sees only the variables it is given.
///
/// Grammar (lowest precedence first): `?:`, `||`, `&&`, comparisons, `+ -`, `* / // %`, unary `- !`,
/// primaries (number, 'string', name, name.name, `( expr )`, `min(a, b)`, `max(a, b)`).
public enum Expression {
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

    typealias Failure = Expression.Failure

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
        let condition = try parseOr()
        guard take("?") else { return condition }
        let yes = try parseTernary()
        guard take(":") else { throw Failure(offset: position, message: "expected ':' in 'cond ? a : b'", hint: nil) }
        let no = try parseTernary()
        return try truth(condition, at: position) ? yes : no
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
        if take("-") { return try arithmetic(.int(0), try parseUnary(), "-", at: start) }
        if take("!") { return .bool(!(try truth(try parseUnary(), at: start))) }
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
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case "+": return .int(x &+ y)
            case "-": return .int(x &- y)
            case "*": return .int(x &* y)
            case "%", "//", "/":
                guard y != 0 else { throw Failure(offset: offset, message: "division by zero", hint: nil) }
                if op == "%" { return .int(((x % y) + y) % y) }
                if op == "//" { return .int(Int((Double(x) / Double(y)).rounded(.down))) }
                return x % y == 0 ? .int(x / y) : .double(Double(x) / Double(y))
            default: break
            }
        }
        guard let x = a.doubleValue, let y = b.doubleValue else {
            throw Failure(offset: offset, message: "'\(op)' needs numbers, found \(a.typeName) and \(b.typeName)",
                          hint: nil)
        }
        switch op {
        case "+": return .double(x + y)
        case "-": return .double(x - y)
        case "*": return .double(x * y)
        case "//": return .double((x / y).rounded(.down))
        case "%": return .double(x.truncatingRemainder(dividingBy: y))
        default:
            guard y != 0 else { throw Failure(offset: offset, message: "division by zero", hint: nil) }
            return .double(x / y)
        }
    }
}
