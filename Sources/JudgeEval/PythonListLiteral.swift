/// Parses the Python list literals that pandas writes for a list-valued column (`str(list)`), as in
/// VLMEvalKit's TSVs: `['first', "it's second"]`, `[0, 1]`. Only what such a column holds: a flat list
/// of string literals (single or double quoted, with Python's escapes) and integers. Pure; the
/// input is bounded by its caller.
enum PythonListLiteral {
    enum Element: Equatable {
        case string(String)
        case int(Int)
    }

    struct Failure: Error {
        var message: String
    }

    static func parse(_ text: String) throws(Failure) -> [Element] {
        var s = Array(text.unicodeScalars)[...]
        func skipSpace() { while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() } }
        skipSpace()
        guard s.popFirst() == "[" else { throw Failure(message: "is not a list literal; it must start with '['") }
        var elements: [Element] = []
        skipSpace()
        if s.first == "]" { s.removeFirst() } else {
            while true {
                skipSpace()
                guard let c = s.first else { throw Failure(message: "ends before its closing ']'") }
                if c == "'" || c == "\"" {
                    elements.append(.string(try string(&s)))
                } else if c == "-" || ("0"..."9").contains(c) {
                    var digits = String(s.removeFirst())
                    while let d = s.first, ("0"..."9").contains(d) { digits.unicodeScalars.append(s.removeFirst()) }
                    guard let value = Int(digits) else { throw Failure(message: "has a number '\(digits)' that is not a whole number in range") }
                    elements.append(.int(value))
                } else {
                    throw Failure(message: "has '\(c)' where a quoted string or a whole number should be")
                }
                skipSpace()
                guard let next = s.popFirst() else { throw Failure(message: "ends before its closing ']'") }
                if next == "]" { break }
                guard next == "," else { throw Failure(message: "has '\(next)' where ',' or ']' should be") }
                skipSpace()
                if s.first == "]" { s.removeFirst(); break }
            }
        }
        skipSpace()
        guard s.isEmpty else { throw Failure(message: "has text after its closing ']'") }
        return elements
    }

    /// One quoted literal with Python's escapes (\\ \' \" \n \r \t \a \b \f \v \ooo \xhh \uhhhh \Uhhhhhhhh,
    /// a backslash-newline continues the line); an unknown escape keeps its backslash, as Python does.
    private static func string(_ s: inout ArraySlice<Unicode.Scalar>) throws(Failure) -> String {
        let quote = s.removeFirst()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = s.popFirst() else { throw Failure(message: "has a string that is not closed") }
            if c == quote { return String(out) }
            guard c == "\\" else { out.append(c); continue }
            guard let e = s.popFirst() else { throw Failure(message: "has a string that is not closed") }
            switch e {
            case "\\", "'", "\"": out.append(e)
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "a": out.append(Unicode.Scalar(7))
            case "b": out.append(Unicode.Scalar(8))
            case "f": out.append(Unicode.Scalar(12))
            case "v": out.append(Unicode.Scalar(11))
            case "\n": break
            case "x", "u", "U":
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                guard s.count >= count, let value = UInt32(String(String.UnicodeScalarView(s.prefix(count))), radix: 16),
                      let scalar = Unicode.Scalar(value) else {
                    throw Failure(message: "has a bad \\\(e) escape")
                }
                s.removeFirst(count)
                out.append(scalar)
            case "0"..."7":
                var digits = String(e)
                while digits.count < 3, let d = s.first, ("0"..."7").contains(d) { digits.unicodeScalars.append(s.removeFirst()) }
                guard let value = UInt32(digits, radix: 8), let scalar = Unicode.Scalar(value) else {
                    throw Failure(message: "has a bad octal escape")
                }
                out.append(scalar)
            default:
                out.append("\\")
                out.append(e)
            }
        }
    }
}
