import ArtifactStore
import WorkflowSpec

/// Why a node must run — decided by `Graph.decide` (Decision.swift), displayed by `status`, `run` and
/// `--dry-run` alike.
public enum Staleness: Sendable, Equatable {
    /// Up to date: its key has a complete manifest in the store.
    case upToDate
    /// Its key is known and not in the store; the reasons compare against the workflow's last run.
    case stale([String])
    /// An upstream node must run first, so the key cannot be known yet.
    case waiting(upstream: [String], ownChanges: [String])

    public var reasons: [String] {
        switch self {
        case .upToDate: []
        case .stale(let r): r
        case .waiting(let up, let own): own + ["input from \(up.joined(separator: ", ")) will be rebuilt"]
        }
    }
}

public enum StalenessExplainer {
    /// Differences between what a node's key is built from now and what it was built from last time.
    /// `inputs` may be nil when upstream digests are not known yet.
    public static func changes(now: NodeKeyInputs?, type: String, implementation: String, params: [String: Value],
                               previous: NodeRecord?) -> [String] {
        guard let previous else { return ["never run"] }
        var reasons: [String] = []
        if previous.type != type {
            reasons.append("node type changed \(previous.type) → \(type)")
        } else if previous.implementation != implementation {
            reasons.append("node type implementation changed \(previous.implementation) → \(implementation)")
        }
        for name in Set(params.keys).union(previous.params.keys).sorted() {
            let new = params[name]?.canonicalJSON, old = previous.params[name]
            if new == old { continue }
            switch (old, new) {
            case (nil, let n?): reasons.append("param \(name) added (\(n))")
            case (let o?, nil): reasons.append("param \(name) removed (was \(o))")
            case (let o?, let n?): reasons.append("param \(name) changed \(o) → \(n)")
            default: break
            }
        }
        if let now {
            let current = now.recordedInputs
            for name in Set(current.keys).union(previous.inputs.keys).sorted() where current[name] != previous.inputs[name] {
                if name.hasPrefix("file:") {
                    reasons.append("file \(name.dropFirst(5)) \(current[name] == nil ? "no longer read" : previous.inputs[name] == nil ? "newly read" : "changed")")
                } else {
                    reasons.append("input \(name) \(current[name] == nil ? "removed" : previous.inputs[name] == nil ? "added" : "changed")")
                }
            }
        }
        return reasons
    }
}
