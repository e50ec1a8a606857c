/// A small command-line parser: `--flag value`, `--flag=value`, repeated flags, `-j N`, booleans and
/// positionals. Unknown flags are errors with a did-you-mean, never ignored.
struct Arguments {
    var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []

    /// `valued` flags take a value; `booleans` do not. Short aliases map to long names.
    init(_ args: [String], valued: [String], booleans: [String], aliases: [String: String] = [:]) throws(CLIError) {
        var i = 0
        while i < args.count {
            var arg = args[i]
            i += 1
            if arg == "--" { positionals += args[i...]; break }
            guard arg.hasPrefix("-"), arg.count > 1 else { positionals.append(arg); continue }
            var inline: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                inline = String(arg[arg.index(after: eq)...])
                arg = String(arg[..<eq])
            }
            let name = aliases[arg] ?? arg
            if booleans.contains(name) {
                switches.insert(name)
            } else if valued.contains(name) {
                guard let value = inline ?? (i < args.count ? args[i] : nil) else {
                    throw .usage("\(arg) needs a value")
                }
                if inline == nil { i += 1 }
                values[name, default: []].append(value)
            } else {
                let known = valued + booleans + ["--help"]
                throw .usage("unknown option '\(arg)'" + (Suggestion.closest(to: arg, in: known).map { ". Did you mean '\($0)'?" } ?? ""))
            }
        }
    }

    func flag(_ name: String) -> Bool { switches.contains(name) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    func int(_ name: String) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text), n > 0 else { throw .usage("\(name) needs a positive whole number, got '\(text)'") }
        return n
    }
}

import WorkflowSpec
