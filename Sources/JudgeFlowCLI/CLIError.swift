import ArtifactStore
import WorkflowSpec

/// Every way a command can fail, and the one place that turns failures into text and exit codes:
/// 2 for bad input (usage, workflow errors), 1 for failures while working.
public enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case spec(SpecError)
    case store(StoreError)
    case failed(String)

    public var exitCode: Int32 {
        switch self {
        case .usage, .spec: 2
        case .store, .failed: 1
        }
    }

    public var description: String {
        switch self {
        case .usage(let m): "judgeflow: \(m)\nRun 'judgeflow --help' for usage."
        case .spec(let e):
            e.description + "\n\(e.diagnostics.count) error\(e.diagnostics.count == 1 ? "" : "s"); nothing was run."
        case .store(let e): "judgeflow: store: \(e)"
        case .failed(let m): "judgeflow: \(m)"
        }
    }
}
