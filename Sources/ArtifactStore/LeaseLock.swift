import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Locks that hold across hosts on a shared filesystem: a lock is a small record file (host, pid, token,
/// when it was last renewed and when it expires) created with `link(2)`, which is atomic on local
/// filesystems and NFS alike, so exactly one creator wins. No `flock`/`fcntl` semantics are relied on.
///
/// A live holder renews its record every `renewInterval` from one background thread per process; a
/// record whose lease expired is stale and is taken over (under a short-lived `.takeover` guard, so two
/// waiters never both take it). On the holder's own host a dead pid whose record nobody renewed for two
/// intervals is stale at once, so a killed run frees its locks in seconds, not a whole lease. Another
/// process may `join` a lease by its token and renew it too: a Slurm job keeps its driver's key lock alive
/// while it builds, whoever of the two dies first.
///
/// What this asks of the filesystem: atomic `link` and `rename`, and clocks on the hosts within a few
/// seconds of each other (the lease, 30 s by default, is far longer). A holder frozen for longer than the
/// lease (a stopped process, a hung mount) can lose its lock to a waiter.
public final class LeaseLock: StoreLease, @unchecked Sendable {
    public let path: String
    public let token: String
    /// False for a joined lease: only the holder removes the record.
    private let owns: Bool

    struct Record: Codable, Equatable {
        var host: String
        var pid: Int32
        var token: String
        var renewed: Double
        var expires: Double
    }

    /// Seconds a record stays valid without renewal (`JUDGEFLOW_LEASE_SECONDS` changes it, for tests).
    static let duration: Double = {
        if let text = ProcessInfo.processInfo.environment["JUDGEFLOW_LEASE_SECONDS"], let s = Double(text), s >= 1 { return s }
        return 30
    }()
    static var renewInterval: Double { min(1, duration / 10) }

    public static var hostName: String { host }

    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    private init(path: String, token: String, owns: Bool) {
        self.path = path
        self.token = token
        self.owns = owns
        Renewer.shared.add(self)
    }

    deinit {
        Renewer.shared.remove(path: path, token: token)
        if owns, Self.read(path)?.token == token { unlink(path) }
    }

    /// Takes the lock at `path`, waiting while a live holder has it (nil without `wait` if it is held).
    /// `waiting` is called once, with the holder's description, when this call has to wait.
    static func acquire(_ path: String, wait: Bool, waiting: ((String) -> Void)? = nil) throws(StoreError) -> LeaseLock? {
        let token = "\(host):\(getpid()):\(UInt64.random(in: 0...UInt64.max))"
        var pause = 0.005
        var told = false
        while true {
            if try create(path, record: fresh(token: token)) { return LeaseLock(path: path, token: token, owns: true) }
            guard let holder = read(path) else {
                // Released in between, or a file that is no lease record (an older JudgeFlow's lock file):
                // records are complete when linked or renamed into place, so it is not one half-written.
                if FileIO.exists(path) { takeOver(path, stale: nil) }
                continue
            }
            if isStale(holder) {
                takeOver(path, stale: holder)
                continue
            }
            guard wait else { return nil }
            if !told { waiting?("\(holder.host) pid \(holder.pid)"); told = true }
            usleep(UInt32(pause * 1_000_000))
            pause = min(pause * 2, 0.25)
        }
    }

    /// Renews the lease with this token from this process too, until the returned object is dropped;
    /// nil if no such lease is held.
    public static func join(_ path: String, token: String) -> LeaseLock? {
        guard read(path)?.token == token else { return nil }
        return LeaseLock(path: path, token: token, owns: false)
    }

    /// The record of a live lease at `path`, if any (for tools that report who holds what).
    static func liveHolder(_ path: String) -> Record? {
        guard let record = read(path), !isStale(record) else { return nil }
        return record
    }

    static func fresh(token: String) -> Record {
        let now = Date().timeIntervalSince1970
        return Record(host: host, pid: getpid(), token: token, renewed: now, expires: now + duration)
    }

    static func isStale(_ record: Record) -> Bool {
        let now = Date().timeIntervalSince1970
        if now > record.expires { return true }
        if record.host == host, kill(record.pid, 0) != 0, errno == ESRCH, now - record.renewed > 2 * renewInterval { return true }
        return false
    }

    static func read(_ path: String) -> Record? {
        guard let bytes = try? FileIO.readAll(path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: Data(bytes))
    }

    /// Creates `path` holding `record` unless it exists: the record is written beside it and hard-linked
    /// into place.
    static func create(_ path: String, record: Record) throws(StoreError) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let tmp = directory + "/" + FileIO.uniqueName()
        try FileIO.atomicWrite(Records.encode(record), to: tmp, tmpDirectory: directory, durable: false)
        defer { unlink(tmp) }
        if link(tmp, path) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        throw .io(path: path, operation: "create lock", errno: code)
    }

    /// Removes a stale record, unless somebody replaced it meanwhile; a guard file keeps two waiters from
    /// both doing it (a guard older than the lease is itself left by a dead process, and removed).
    static func takeOver(_ path: String, stale: Record?) {
        let guardPath = path + ".takeover"
        let claimed = (try? create(guardPath, record: fresh(token: "takeover"))) ?? false
        guard claimed else {
            var info = stat()
            if stat(guardPath, &info) == 0, Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > duration { unlink(guardPath) }
            usleep(2_000)
            return
        }
        defer { unlink(guardPath) }
        if read(path) == stale { unlink(path) }    // nil == nil: still the same unreadable file
    }

    /// Rewrites the record with a later expiry if it still carries `token`; false if the lease was lost.
    static func renew(_ path: String, token: String) -> Bool {
        guard var record = read(path), record.token == token else { return false }
        let now = Date().timeIntervalSince1970
        record.renewed = now
        record.expires = now + duration
        let directory = (path as NSString).deletingLastPathComponent
        return (try? FileIO.atomicWrite(Records.encode(record), to: path, tmpDirectory: directory, durable: false)) != nil
    }

    /// One thread per process renews every lease it holds or joined.
    final class Renewer: @unchecked Sendable {
        static let shared = Renewer()
        private let lock = NSLock()
        private var leases: [String: Int] = [:]    // "path\ttoken" → holders in this process
        private var started = false

        func add(_ lease: LeaseLock) {
            lock.withLock {
                leases[lease.path + "\t" + lease.token, default: 0] += 1
                if !started {
                    started = true
                    Thread.detachNewThread { [self] in loop() }
                }
            }
        }

        func remove(path: String, token: String) {
            lock.withLock {
                let id = path + "\t" + token
                leases[id] = (leases[id] ?? 1) - 1
                if leases[id] == 0 { leases[id] = nil }
            }
        }

        private func loop() {
            while true {
                usleep(UInt32(LeaseLock.renewInterval * 1_000_000))
                let held = lock.withLock { Array(leases.keys) }
                for id in held {
                    let parts = id.split(separator: "\t", maxSplits: 1).map(String.init)
                    // Under the lock: a holder releasing meanwhile waits, so a renewal never resurrects a
                    // record its holder has just removed.
                    lock.withLock {
                        if leases[id] != nil { _ = LeaseLock.renew(parts[0], token: parts[1]) }
                    }
                }
            }
        }
    }
}

extension ArtifactStore {
    func keyLockPath(_ key: Digest) -> String { "\(root)/locks/\(key.hex.prefix(16)).lock" }

    /// Blocks until this process holds the build lock for `key` (on any host sharing the store).
    /// Its `token` is what a Slurm job joins it by.
    public func lockKey(_ key: Digest) throws(StoreError) -> any StoreLease {
        try LeaseLock.acquire(keyLockPath(key), wait: true)!
    }

    public func joinKeyLock(_ key: Digest, token: String) -> (any StoreLease)? {
        LeaseLock.join(keyLockPath(key), token: token)
    }

    /// Held for a whole run, so `gc` cannot delete what a run (on any host) is using: each run registers
    /// a lease under `locks/runs/`, then waits while a collection's lease is live.
    public func lockForRun() throws(StoreError) -> any StoreLease {
        try FileIO.makeDirectories(root + "/locks/runs")
        while true {
            let lease = try LeaseLock.acquire(root + "/locks/runs/" + FileIO.uniqueName() + ".lock", wait: true)!
            if LeaseLock.liveHolder(root + "/locks/gc.lock") == nil { return lease }
            withExtendedLifetime(lease) {}
            usleep(100_000)
        }
    }

    /// Held by `gc`; nil when a run is in progress on any host.
    public func lockForCollection() throws(StoreError) -> LeaseLock? {
        guard let lease = try LeaseLock.acquire(root + "/locks/gc.lock", wait: false) else { return nil }
        for name in FileIO.listDirectory(root + "/locks/runs") where name.hasSuffix(".lock") {
            let path = root + "/locks/runs/" + name
            if LeaseLock.liveHolder(path) != nil { return nil }
            if LeaseLock.read(path).map(LeaseLock.isStale) ?? false { unlink(path) }
        }
        return lease
    }
}
