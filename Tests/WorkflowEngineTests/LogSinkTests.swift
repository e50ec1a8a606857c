import Foundation
import Testing
@testable import WorkflowEngine

/// A node's log on a full disk: the write error is kept for the executor to fail the node with, and
/// nothing traps (FileHandle.write on Linux is a `try!` inside Foundation).
@Suite struct LogSinkTests {
    @Test func aWriteOnAFullDiskIsRememberedNotACrash() {
        let sink = LogSink(path: "/dev/full")
        #expect(sink.failure == nil)
        sink.write("a line that does not fit")
        #expect(sink.failure == String(cString: strerror(ENOSPC)))
        sink.write("a second line keeps the first error")
        #expect(sink.failure == String(cString: strerror(ENOSPC)))
    }

    @Test func linesAreAppendedWithANewlineEach() throws {
        let path = NSTemporaryDirectory() + "jf-log-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = LogSink(path: path)
        sink.write("one")
        sink.write("two\n")
        #expect(sink.failure == nil)
        #expect(String(decoding: sink.bytes(), as: UTF8.self) == "one\ntwo\n")
        #expect(sink.tail(lines: 1) == "two")
    }
}
