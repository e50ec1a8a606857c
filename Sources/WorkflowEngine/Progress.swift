import Foundation

/// What the executor tells the user while it works. The CLI picks a terminal or plain reporter;
/// tests use a recording one.
public protocol ProgressReporter: AnyObject, Sendable {
    func started(_ node: String, reasons: [String])
    func progress(_ node: String, fraction: Double, note: String)
    func finished(_ node: String, outcome: NodeOutcome)
    func message(_ text: String)
}

public enum NodeOutcome: Sendable, Equatable {
    case cached
    /// Another `judgeflow run` built it while this one waited for the key's lock.
    case builtElsewhere
    case ran(seconds: Double)
    case failed(message: String, logTail: String, logPath: String?)
    case skipped(reason: String)

    public var label: String {
        switch self {
        case .cached: "cached"
        case .builtElsewhere: "cached (built by a concurrent run)"
        case .ran(let s): String(format: "done in %.2fs", s)
        case .failed(let m, _, _): "FAILED: \(m)"
        case .skipped(let r): "skipped: \(r)"
        }
    }
}

/// Plain lines (pipes, CI logs) or, on a terminal, one live line per running node redrawn in place.
public final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private let verbose: Bool
    private let quiet: Bool
    private var running: [(name: String, start: Date, fraction: Double, note: String)] = []
    private var drawn = 0
    private var ticker: Thread?

    /// `quiet` prints failures only; `verbose` also prints cached nodes and progress notes.
    public init(live: Bool, verbose: Bool, quiet: Bool = false) {
        self.live = live && !quiet
        self.verbose = verbose
        self.quiet = quiet
        if self.live {
            let t = Thread { [weak self] in
                while let s = self, !Thread.current.isCancelled {
                    s.lock.withLock { s.redraw() }
                    Thread.sleep(forTimeInterval: 0.25)
                }
            }
            ticker = t
            t.start()
        }
    }

    deinit { ticker?.cancel() }

    public func stop() {
        ticker?.cancel()
        lock.withLock { clear() }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func clear() {
        if drawn > 0 { write(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawn)); drawn = 0 }
    }

    private func redraw() {
        guard live else { return }
        clear()
        for r in running {
            let elapsed = Date().timeIntervalSince(r.start)
            let pct = r.fraction > 0 ? String(format: " %3.0f%%", r.fraction * 100) : ""
            write(String(format: "  ⋯ %@ %.1fs%@ %@\n", r.name, elapsed, pct, r.note))
        }
        drawn = running.count
    }

    /// A permanent line above the live block.
    private func emit(_ line: String) {
        lock.withLock {
            clear()
            write(line + "\n")
            redraw()
        }
    }

    public func started(_ node: String, reasons: [String]) {
        lock.withLock { running.append((node, Date(), 0, "")) }
        if quiet { return }
        if !live { emit("▶ \(node)" + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))")) }
        else if verbose { emit("▶ \(node) (\(reasons.joined(separator: "; ")))") }
    }

    public func progress(_ node: String, fraction: Double, note: String) {
        lock.withLock {
            if let i = running.firstIndex(where: { $0.name == node }) {
                running[i].fraction = fraction
                running[i].note = note
            }
        }
        if !live && verbose { emit(String(format: "  %@ %3.0f%% %@", node, fraction * 100, note)) }
    }

    public func finished(_ node: String, outcome: NodeOutcome) {
        lock.withLock { running.removeAll { $0.name == node } }
        switch outcome {
        case .cached, .builtElsewhere:
            if verbose { emit("· \(node) \(outcome.label)") }
        case .ran:
            if quiet { return }
            emit("✓ \(node) \(outcome.label)")
        case .failed(_, let tail, let logPath):
            var text = "✗ \(node) \(outcome.label)"
            if !tail.isEmpty { text += "\n" + tail.split(separator: "\n", omittingEmptySubsequences: false).map { "    │ " + $0 }.joined(separator: "\n") }
            if let logPath { text += "\n    full log: \(logPath)" }
            emit(text)
        case .skipped:
            emit("- \(node) \(outcome.label)")
        }
    }

    public func message(_ text: String) { emit(text) }
}
