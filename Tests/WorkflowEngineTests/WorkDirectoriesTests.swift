import ArtifactStore
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
