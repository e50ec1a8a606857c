/// `--name value` flags for the benchmark commands; anything unknown is a usage error.
struct Flags {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    init(_ args: [String], valued: Set<String>, switches allowed: Set<String>) throws(BenchError) {
        var i = 0
        while i < args.count {
            let a = args[i]
            if allowed.contains(a) {
                switches.insert(a)
            } else if valued.contains(a), i + 1 < args.count {
                values[a] = args[i + 1]
                i += 1
            } else {
                throw .usage("unexpected argument '\(a)'")
            }
            i += 1
        }
    }

    func int(_ name: String, default d: Int? = nil) throws(BenchError) -> Int {
        guard let text = values[name] else {
            if let d { return d }
            throw .usage("\(name) is required")
        }
        guard let v = Int(text), v > 0 else { throw .usage("\(name) needs a positive integer, got '\(text)'") }
        return v
    }

    func string(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { switches.contains(name) }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    var description: String { if case .usage(let m) = self { m } else { "" } }
}
