@testable import ArtifactStore
import Foundation
import Testing

/// The remembered digests of workspace files: an entry is used only while the file's status is exactly
/// the one it was hashed under, a file stamped no earlier than the clock reading is never remembered, and
/// a damaged cache file only costs a rehash.
@Suite struct FileDigestCacheTests {
    let directory = temporaryDirectory()
    var cachePath: String { directory + "/state.digests" }

    init() { try? FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true) }

    func cache() -> FileDigestCache { FileDigestCache(path: cachePath, tmpDirectory: directory + "/tmp") }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// Past the filesystem's timestamp granularity, so the next clock reading is later than the last write.
    func tick() { usleep(30_000) }

    @Test func anUnchangedFileIsAnsweredFromTheCacheWithoutRehashing() throws {
        try write("out.txt", "hello\n")
        tick()
        let first = cache()
        #expect(first.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("hello\n"))
        #expect(first.hashed == 1)
        first.save()
        let second = cache()
        #expect(second.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("hello\n"))
        #expect(second.hashed == 0)
    }

    @Test func aFileRewrittenWithTheSameSizeAndMtimeIsHashedAgain() throws {
        try write("out.txt", "aaaa")
        tick()
        let first = cache()
        _ = first.digest(of: directory + "/out.txt", name: "out.txt")
        first.save()
        // A rewrite within one coarse timestamp tick: same size, mtime set back to the remembered one.
        var st = stat()
        stat(directory + "/out.txt", &st)
        try write("out.txt", "bbbb")
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, directory + "/out.txt", &times, 0)
        let second = cache()
        #expect(second.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("bbbb"))
        #expect(second.hashed == 1)
    }

    @Test func onlyAFileStampedStrictlyBeforeTheClockReadingOnTheSameDeviceIsSettled() {
        let now = FileDigestCache.FilesystemTime(device: 7, seconds: 100, nanoseconds: 500)
        func status(m: (Int64, Int64), c: (Int64, Int64), device: UInt64 = 7) -> FileDigestCache.Status {
            FileDigestCache.Status(device: device, inode: 1, size: 4, mtime: m.0, mtimeNanoseconds: m.1, ctime: c.0, ctimeNanoseconds: c.1)
        }
        #expect(status(m: (100, 499), c: (100, 499)).isSettled(before: now))
        #expect(status(m: (99, 999_999_999), c: (100, 0)).isSettled(before: now))
        // The same tick as the reading: a write right after it could carry the same timestamps.
        #expect(!status(m: (100, 499), c: (100, 500)).isSettled(before: now))
        #expect(!status(m: (100, 500), c: (100, 499)).isSettled(before: now))
        // An mtime set into the future, a ctime after the reading, another filesystem's clock.
        #expect(!status(m: (200, 0), c: (100, 0)).isSettled(before: now))
        #expect(!status(m: (100, 0), c: (101, 0)).isSettled(before: now))
        #expect(!status(m: (1, 0), c: (1, 0), device: 8).isSettled(before: now))
    }

    @Test func aFileRewrittenRightAfterItWasHashedIsHashedAgain() throws {
        try write("out.txt", "aaaa")
        let first = cache()
        #expect(first.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("aaaa"))
        first.save()
        // Rewritten at once with the same size; whether or not the first read was remembered, the
        // rewrite's ctime is no earlier than that read's clock reading, so the status differs.
        try write("out.txt", "bbbb")
        let second = cache()
        #expect(second.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("bbbb"))
        #expect(second.hashed == 1)
    }

    @Test func aCorruptCacheFileIsIgnoredAndRebuilt() throws {
        try write("out.txt", "hello\n")
        tick()
        let first = cache()
        _ = first.digest(of: directory + "/out.txt", name: "out.txt")
        first.save()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: cachePath)))
        bytes[bytes.count - 3] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: cachePath))
        let second = cache()
        #expect(second.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("hello\n"))
        #expect(second.hashed == 1)
        second.save()
        let third = cache()
        _ = third.digest(of: directory + "/out.txt", name: "out.txt")
        #expect(third.hashed == 0)
    }

    @Test func aTruncatedOrForeignCacheFileReadsAsEmpty() throws {
        try write("a b.txt", "x")
        tick()
        let first = cache()
        _ = first.digest(of: directory + "/a b.txt", name: "a b.txt")
        first.save()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: cachePath)))
        #expect(FileDigestCache.decode(bytes)?.keys.sorted() == ["a b.txt"])
        #expect(FileDigestCache.decode(Array(bytes.dropLast(5))) == nil)
        #expect(FileDigestCache.decode(Array("not a cache\n".utf8)) == nil)
        #expect(FileDigestCache.decode([]) == nil)
    }

    @Test func aMissingFileOrADirectoryHasNoDigest() throws {
        try FileManager.default.createDirectory(atPath: directory + "/d", withIntermediateDirectories: true)
        #expect(cache().digest(of: directory + "/missing", name: "missing") == nil)
        #expect(cache().digest(of: directory + "/d", name: "d") == nil)
    }
}
