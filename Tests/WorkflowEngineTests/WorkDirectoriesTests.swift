import ArtifactStore
import NodeKit
import Foundation
import Testing
@testable import WorkflowEngine

/// Work directories go from one node to the next only when their node left them as it found them.
@Suite struct WorkDirectoriesTests {
    @Test func aCleanDirectoryIsReusedAndOneWithLeftoversIsRemoved() throws {
        let root = NSTemporaryDirectory() + "jf-work-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pool = WorkDirectories(store: try ArtifactStore(root: root))
        let files = FileManager.default

        let first = try pool.take()
        #expect(try files.contentsOfDirectory(atPath: first) == ["out"])
        #expect(files.createFile(atPath: first + "/node.log", contents: Data("log".utf8)))
        pool.give(first)
        #expect(try pool.take() == first)

        // Something left in out/ (or a scratch directory): the directory goes, the next one is new.
        #expect(files.createFile(atPath: first + "/out/result", contents: Data()))
        pool.give(first)
        #expect(!files.fileExists(atPath: first))
        let second = try pool.take()
        #expect(second != first)
        #expect(try files.contentsOfDirectory(atPath: second) == ["out"])
        try files.createDirectory(atPath: second + "/scratch", withIntermediateDirectories: false)
        pool.give(second)
        #expect(!files.fileExists(atPath: second))
    }
}

/// A shell stage run outside the engine (a context without an engine's `provideOutput`) still leaves its
/// workspace outputs under the output directory, and its standard error reaches `log`.
@Suite struct ShellOutsideTheEngineTests {
    @Test func workspaceOutputsAreCopiedToTheOutputDirectory() throws {
        let root = NSTemporaryDirectory() + "jf-shell-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        for dir in ["ws", "out", "scratch"] { try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
        let logged = Lines()
        let context = NodeContext(nodeName: "s", params: ["cmd": .string("mkdir -p d && echo hi > d/f.txt && echo warn >&2"), "strict": .bool(true),
                                                          "deps": .list([]), "outs": .list([.string("d/f.txt")]), "env": .map([:])],
                                  inputs: [:], outputDirectory: root + "/out", workspace: root + "/ws", scratchDirectory: root + "/scratch/s",
                                  threads: 1, log: { logged.add($0) }, progress: { _, _ in })
        try ShellNode().run(context)
        #expect(FileManager.default.contents(atPath: root + "/out/d/f.txt") == Data("hi\n".utf8))
        #expect(logged.all.joined().contains("warn"))
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }
}
