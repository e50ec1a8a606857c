#if canImport(Glibc)
import Glibc
#endif

/// Digests of workspace files remembered by their status — git's index, DVC's state database — so a
/// no-op run checks each output a stage writes with one `stat` instead of rehashing it.
///
/// An entry maps a path to (device, inode, size, mtime, ctime) and the SHA-256 read under that status.
/// It is used only while `stat` gives exactly that status, and recorded only when the file was *settled*
/// when it was read: its mtime and ctime are strictly earlier than a timestamp taken, before the read
/// began, from the clock of the filesystem the file is on (a file created in the store's `tmp/`, on the
/// same device). That clock stamps every later write of the file with a time no earlier than ours, so a
/// later write changes the ctime (which nobody can set back: `touch -d` sets it to now) and the file is
/// hashed again. A file written in the same timestamp tick as our reading is never remembered: this is
/// git's "racy clean" rule, at the filesystem's own granularity, whatever it is (nanoseconds on ext4,
/// two seconds on FAT). The status is also read again after hashing and must not have moved.
///
/// Not covered, as in git and DVC: the system clock set back, a write through a shared memory mapping
/// that the kernel has not stamped yet, a write in progress (stamped, bytes not yet copied) while a run
/// reads the same file, and a power loss that keeps a file's new timestamps but loses its new bytes. Network filesystems are left out (`ArtifactStore.fileDigestCache`): their
/// clients may answer `stat` from an attribute cache that `open` would have refreshed.
///
/// The file (`state/<id>.digests` in the store, one per workspace directory) is written with a temp file
/// and a rename and starts with a SHA-256 of its entries: a torn, garbled or absent file is read as empty,
/// and only costs the rehash it saves. Thread-safe.
public final class FileDigestCache: @unchecked Sendable {
    /// What `stat` says of a file, as far as an edit would change it.
    public struct Status: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64
        var mtime: Int64, mtimeNanoseconds: Int64, ctime: Int64, ctimeNanoseconds: Int64

        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
            size = Int64(st.st_size)
            mtime = Int64(st.st_mtim.tv_sec)
            mtimeNanoseconds = Int64(st.st_mtim.tv_nsec)
            ctime = Int64(st.st_ctim.tv_sec)
            ctimeNanoseconds = Int64(st.st_ctim.tv_nsec)
        }

        init(device: UInt64, inode: UInt64, size: Int64, mtime: Int64, mtimeNanoseconds: Int64, ctime: Int64, ctimeNanoseconds: Int64) {
            (self.device, self.inode, self.size) = (device, inode, size)
            (self.mtime, self.mtimeNanoseconds, self.ctime, self.ctimeNanoseconds) = (mtime, mtimeNanoseconds, ctime, ctimeNanoseconds)
        }

        /// Whether the file last changed strictly before `now`, a timestamp of the same filesystem's clock.
        func isSettled(before now: FilesystemTime) -> Bool {
            guard device == now.device else { return false }
            let limit = (Int64(now.seconds), Int64(now.nanoseconds))
            return (mtime, mtimeNanoseconds) < limit && (ctime, ctimeNanoseconds) < limit
        }
    }

    struct Entry: Equatable {
        var status: Status
        var digest: Digest
    }

    /// A timestamp from a filesystem's clock, and the device it was taken on.
    struct FilesystemTime {
        var device: UInt64, seconds: Int, nanoseconds: Int
    }

    let path: String
    let tmpDirectory: String
    private let lock = Mutex()
    private var entries: [String: Entry]
    private var changed = false
    private var now: FilesystemTime??
    /// Files hashed because no entry matched, for tests and profiles.
    public private(set) var hashed = 0

    /// Loads `path` (a missing or unreadable file is an empty cache).
    init(path: String, tmpDirectory: String) {
        self.path = path
        self.tmpDirectory = tmpDirectory
        entries = (try? FileIO.readAll(path)).flatMap(Self.decode) ?? [:]
    }

    /// The digest of the regular file at `file`, remembered under `name`; nil if it is missing or not a
    /// regular file. Hashes the file unless an entry for `name` has exactly its current status.
    public func digest(of file: String, name: String) -> Digest? {
        var st = stat()
        guard stat(file, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        if let entry = lock.withLock({ entries[name] }), entry.status == Status(st) { return entry.digest }
        // The timestamp is taken before the read, so a write after it cannot leave the status unchanged.
        let now = lock.withLock { () -> FilesystemTime? in
            if self.now == nil { self.now = .some(FileIO.filesystemTime(tmpDirectory: tmpDirectory)) }
            return self.now!
        }
        guard let (fd, before) = try? FileIO.openRegularWithStat(file) else { return nil }
        defer { close(fd) }
        guard let (digest, _) = try? FileIO.hash(fd, path: file, sizeHint: Int(before.st_size)) else { return nil }
        var after = stat()
        let status = Status(before)
        let stable = fstat(fd, &after) == 0 && Status(after) == status
        lock.withLock {
            hashed += 1
            if stable, let now, status.isSettled(before: now), !name.contains("\n") {
                entries[name] = Entry(status: status, digest: digest)
                changed = true
            } else if entries.removeValue(forKey: name) != nil {
                changed = true
            }
        }
        return digest
    }

    /// Writes the entries if any were added or dropped since loading; a failure leaves the old file.
    public func save() {
        let bytes: [UInt8]? = lock.withLock {
            guard changed else { return nil }
            changed = false
            return Self.encode(entries)
        }
        guard let bytes else { return }
        try? FileIO.atomicWrite(bytes, to: path, tmpDirectory: tmpDirectory, durable: false)
    }
}
