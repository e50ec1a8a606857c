import NodeKit

/// Where a stage runs and what it asks the scheduler for. `executor:` is `local` (JudgeFlow's own threads)
/// or `slurm` (one batch job per node); `resources:` is what a Slurm job requests:
/// ```yaml
/// executor: slurm                  # top level: every stage; `--executor` on the command line beats it
/// resources: {cpus: 2, memory: 4G, time: "30:00"}          # top level: defaults for every stage
/// stages:
///   traces:
///     uses: judge.traces
///     executor: slurm              # a stage's own choice beats both
///     resources: {gpus: 1, partition: gpu, sbatch_args: ["--qos=high"]}   # merged over the defaults
/// ```
/// Neither enters a node's key: where a node ran never changes what it produced.
public struct Resources: Sendable, Equatable, Codable {
    public var cpus: Int?
    /// Megabytes.
    public var memoryMB: Int?
    public var gpus: Int?
    /// Slurm's time format, as written (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH[:MM[:SS]]`).
    public var time: String?
    public var partition: String?
    public var sbatchArgs: [String] = []

    public init() {}

    public var isEmpty: Bool { self == Resources() }

    static let keys = ["cpus", "memory", "gpus", "time", "partition", "sbatch_args"]

    /// `other`'s fields where it sets them, this one's elsewhere; extra sbatch arguments add up.
    public func merged(with other: Resources) -> Resources {
        var r = self
        r.cpus = other.cpus ?? cpus
        r.memoryMB = other.memoryMB ?? memoryMB
        r.gpus = other.gpus ?? gpus
        r.time = other.time ?? time
        r.partition = other.partition ?? partition
        r.sbatchArgs = sbatchArgs + other.sbatchArgs
        return r
    }

    /// The names of the fields set, for "local runs ignore …".
    public var setFields: [String] {
        var names: [String] = []
        if cpus != nil { names.append("cpus") }
        if memoryMB != nil { names.append("memory") }
        if gpus != nil { names.append("gpus") }
        if time != nil { names.append("time") }
        if partition != nil { names.append("partition") }
        if !sbatchArgs.isEmpty { names.append("sbatch_args") }
        return names
    }

    /// Reads a `resources:` map; each problem is reported at its value.
    init(_ node: YAMLNode, interpolation: Interpolation, sink: inout DiagnosticSink) {
        guard let entries = node.entries else {
            if !node.isNull { sink.error(node.location, "`resources` must be a map", hint: "e.g. resources: {cpus: 4, memory: 8G, gpus: 1}") }
            return
        }
        for entry in entries {
            let value = interpolation.value(of: entry.value, into: &sink)
            let at = entry.value.location
            switch entry.key {
            case "cpus", "gpus":
                guard case .int(let n) = value, n >= (entry.key == "cpus" ? 1 : 0), n <= 100_000 else {
                    sink.error(at, "\(entry.key) must be a whole number\(entry.key == "cpus" ? " ≥ 1" : " ≥ 0"), found \(value)")
                    continue
                }
                if entry.key == "cpus" { cpus = n } else { gpus = n }
            case "memory":
                guard let mb = Self.megabytes(value) else {
                    sink.error(at, "memory must be a size such as 512M, 16G or 1T (a bare number is megabytes), found \(value)")
                    continue
                }
                memoryMB = mb
            case "time":
                guard let text = Self.slurmTime(value) else {
                    sink.error(at, "time must be minutes or Slurm's MM:SS, HH:MM:SS or D-HH:MM:SS, found \(value)",
                               hint: "time: 90 is 90 minutes; time: \"2:00:00\" is two hours")
                    continue
                }
                time = text
            case "partition":
                guard case .string(let p) = value, !p.isEmpty, !p.contains(where: \.isWhitespace) else {
                    sink.error(at, "partition must be one partition name, found \(value)")
                    continue
                }
                partition = p
            case "sbatch_args":
                let items: [Value]
                if case .list(let list) = value { items = list } else { items = [value] }
                var args: [String] = []
                for item in items {
                    guard case .string(let text) = item, text.hasPrefix("-") else {
                        sink.error(at, "sbatch_args is a list of sbatch options such as \"--qos=high\", found \(item)")
                        continue
                    }
                    args.append(text)
                }
                sbatchArgs = args
            default:
                sink.error(entry.keyLocation, "unknown resource '\(entry.key)'",
                           hint: Suggestion.hint(for: entry.key, in: Self.keys, noun: "resource"))
            }
        }
    }

    static func megabytes(_ value: Value) -> Int? {
        if case .int(let n) = value { return n > 0 ? n : nil }
        guard case .string(let written) = value else { return nil }
        var text = written.uppercased()
        if text.hasSuffix("B"), text.dropLast().last?.isLetter == true { text.removeLast() }
        var factor = 1.0
        if let unit = text.last, unit.isLetter {
            let factors: [Character: Double] = ["K": 1.0 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024]
            guard let f = factors[unit] else { return nil }
            factor = f
            text.removeLast()
        }
        guard let n = Double(text), n > 0, n.isFinite else { return nil }
        let mb = (n * factor).rounded(.up)
        return mb < 1e12 ? max(1, Int(mb)) : nil
    }

    /// Slurm's own time spellings; a bare number is minutes.
    static func slurmTime(_ value: Value) -> String? {
        if case .int(let n) = value { return n > 0 ? String(n) : nil }
        guard case .string(let text) = value, !text.isEmpty else { return nil }
        var rest = Substring(text)
        if let dash = rest.firstIndex(of: "-") {
            guard let days = Int(rest[..<dash]), days >= 0 else { return nil }
            rest = rest[rest.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return text
    }
}

/// The executors a stage may name.
public enum ExecutorName {
    public static let all = ["local", "slurm"]
}
