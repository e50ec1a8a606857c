#if canImport(Glibc)
import Glibc
#endif

/// Advisory `flock` locks under `locks/`: one per node key (two runs never build the same key at once)
/// and one store-wide lock that runs hold shared and `gc` holds exclusive. The kernel drops them when
/// the process dies, so a killed run never leaves a stale lock.
public final class StoreLock: StoreLease, @unchecked Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    static func acquire(_ path: String, exclusive: Bool, wait: Bool) throws(StoreError) -> StoreLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open lock", errno: errno) }
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB)
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            close(fd)
            if errno == EWOULDBLOCK { return nil }
            throw .io(path: path, operation: "lock", errno: errno)
        }
        return StoreLock(fd: fd)
    }
}

extension ArtifactStore {
    /// Blocks until this process holds the build lock for `key`.
    public func lockKey(_ key: Digest) throws(StoreError) -> any StoreLease {
        try StoreLock.acquire("\(root)/locks/\(key.hex.prefix(16)).lock", exclusive: true, wait: true)!
    }

    /// Held (shared) for a whole run, so `gc` cannot delete what a run is using.
    public func lockForRun() throws(StoreError) -> any StoreLease {
        try StoreLock.acquire("\(root)/locks/store.lock", exclusive: false, wait: true)!
    }

    /// Held (exclusive) by `gc`; nil when a run is in progress.
    public func lockForCollection() throws(StoreError) -> StoreLock? {
        try StoreLock.acquire("\(root)/locks/store.lock", exclusive: true, wait: false)
    }
}
