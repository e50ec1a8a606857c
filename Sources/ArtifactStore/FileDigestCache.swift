#if canImport(Glibc)
import Glibc
#endif

/// Digests of workspace files remembered by their status — git's index, DVC's state database — so a
/// no-op run checks each output a stage writes with one `stat` instead of rehashing it.
///
/// An entry maps a path to (device, inode, size, mtime, ctime) and the SHA-256 read under that status.
/// It is used only while `stat` gives exactly that status, and recorded only when the file was *settled*
/// when it was hashed: it had not changed within `settle` seconds before a timestamp taken from the store's
/// filesystem (a file created in `tmp/`, on the same device as the file) before the read began. Any later
/// write gives the file a newer ctime, which nobody can set back (`touch -d` sets mtime and ctime to now),
/// so the status differs and the file is hashed again: this is the "racy git" rule, checked when an entry
/// is made rather than when it is read. The margin also covers a write whose timestamp was taken just
/// before ours while its bytes were still being copied, and filesystems whose timestamps are coarse.
///
/// Not covered, as in git and DVC: a system clock set back by more than the margin, and writes through a
/// shared memory mapping that the kernel has not yet stamped.
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

        /// Whether the file last changed more than `settle` seconds before `now` (a filesystem timestamp).
        func isSettled(before now: FilesystemTime, settle: Double) -> Bool {
            guard device == now.device else { return false }
            let limit = Int64(now.seconds) * 1_000_000_000 + Int64(now.nanoseconds) - Int64(settle * 1e9)
            return mtime * 1_000_000_000 + mtimeNanoseconds < limit && ctime * 1_000_000_000 + ctimeNanoseconds < limit
        }
    }

    struct Entry: Equatable {
        var status: Status
        var digest: Digest
    }

    /// A timestamp from the store's filesystem clock, and the device it was taken on.
    struct FilesystemTime {
        var device: UInt64, seconds: Int, nanoseconds: Int
    }

    static let settleSeconds = 1.0
    let path: String
    let tmpDirectory: String
    let settle: Double
    private let lock = Mutex()
    private var entries: [String: Entry]
    private var changed = false
    private var now: FilesystemTime??
    /// Files hashed because no entry matched, for tests and profiles.
    public private(set) var hashed = 0

    /// Loads `path` (a missing or unreadable file is an empty cache). `settle` is for tests.
    init(path: String, tmpDirectory: String, settle: Double = FileDigestCache.settleSeconds) {
        self.path = path
        self.tmpDirectory = tmpDirectory
        self.settle = settle
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
            if stable, let now, status.isSettled(before: now, settle: settle), !name.contains("\n") {
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
