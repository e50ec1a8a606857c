@testable import ArtifactStore
import Foundation
import Testing

/// The remembered digests of workspace files: an entry is used only while the file's status is exactly
/// the one it was hashed under, a file that changed too recently is never remembered, and a damaged
/// cache file only costs a rehash.
@Suite struct FileDigestCacheTests {
    let directory = temporaryDirectory()
    var cachePath: String { directory + "/state.digests" }

    init() { try? FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true) }

    /// A cache over `directory`; `settle: 0` remembers any file last changed before the clock reading.
    func cache(settle: Double = 0) -> FileDigestCache {
        FileDigestCache(path: cachePath, tmpDirectory: directory + "/tmp", settle: settle)
    }

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

    @Test func aFileChangedWithinTheSettleMarginIsNeverRemembered() throws {
        try write("out.txt", "aaaa")
        let first = cache(settle: FileDigestCache.settleSeconds)
        #expect(first.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("aaaa"))
        first.save()
        // Rewritten in the same second with the same size: still seen, since nothing was remembered.
        try write("out.txt", "bbbb")
        let second = cache(settle: FileDigestCache.settleSeconds)
        #expect(second.digest(of: directory + "/out.txt", name: "out.txt") == Digest.of("bbbb"))
        #expect(second.hashed == 1)
        #expect(!FileManager.default.fileExists(atPath: cachePath))
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
