import Foundation
import Testing

/// Drives the real `judgeflow` binary, built beside the test bundle, in a scratch directory that is
/// removed when the project goes away.
final class Project: Sendable {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "jf-e2e-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // XCTest bundles on Linux live in `<products>/X.xctest`; Swift Testing may run from the same directory.
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/judgeflow"
    }()

    func write(_ path: String, _ text: String) {
        let full = directory + "/" + path
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: directory + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// (ran, cached, failed) from the run summary line.
        var counts: (ran: Int, cached: Int, failed: Int)? {
            guard let line = stderr.split(separator: "\n").last(where: { $0.contains(" ran, ") }) else { return nil }
            let n = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return n.count >= 3 ? (n[0], n[1], n[2]) : nil
        }
    }

    @discardableResult
    func judgeflow(_ arguments: String...) -> Result {
        let process = start(arguments)
        return finish(process)
    }

    func start(_ arguments: [String]) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "JUDGEFLOW_STORE")
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try? process.run()
        return (process, out, err)
    }

    func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let (process, out, err) = started
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension Project {
    /// The start of a workflow with a 5-step toy base model on a small world (`*world` holds its world
    /// params), for tests that need some model quickly; append more stages indented by two spaces.
    static let tinyBaseWorkflow = """
    x-world: &world {image_size: 24, grid: 3, max_objects: 2}
    stages:
      base:
        uses: model.pretrain
        with: {<<: *world, scenes: 20, steps: 5, d: 16, layers: 1, heads: 2, max_text: 96}

    """
}
