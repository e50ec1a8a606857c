/// A typed parameter value, the form in which params reach node types and node keys.
///
/// Maps keep no key order: their canonical encoding sorts keys, so reordering a YAML map never
/// changes a node's identity.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case map([String: Value])

    /// YAML 1.2 core-schema typing of a plain scalar; quoted and block scalars stay strings.
    public static func typed(scalar text: String, plain: Bool) -> Value {
        guard plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(text) { return .int(i) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
           let d = Double(text), d.isFinite {
            return .double(d)
        }
        return .string(text)
    }

    /// The type's name as a user writes it in messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "number"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        }
    }

    /// A compact, human-readable rendering (used in `status` reasons and `show`).
    public var description: String {
        switch self {
        case .string(let s): return s
        default: return canonicalJSON
        }
    }

    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var listValue: [Value]? { if case .list(let l) = self { return l } else { return nil } }
    public var mapValue: [String: Value]? { if case .map(let m) = self { return m } else { return nil } }
    public var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }
}

extension Value {
    /// The canonical byte form: JSON with sorted keys, no spaces, integers as integers and doubles in
    /// Swift's shortest round-trip form. Node keys and lock files hash exactly these bytes.
    public var canonicalJSON: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) + ".0" } else { out += "\(d)" }
        case .string(let s): Value.writeJSONString(s, into: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .map(let map):
            out += "{"
            for (i, key) in map.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                Value.writeJSONString(key, into: &out)
                out += ":"
                map[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    /// JSON string escaping, plus `\uXXXX` for every character YAML does not read back as itself in a
    /// double-quoted scalar (DEL, the C1 controls with NEL, the line and paragraph separators, BOM and
    /// non-characters), so a lock file — canonical JSON read through the YAML reader — round-trips any string.
    static func writeJSONString(_ s: String, into out: inout String) {
        out += "\""
        // Fast path: most strings are printable ASCII and are appended whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                || scalar.value == 0x2029 || scalar.value == 0xFEFF || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
