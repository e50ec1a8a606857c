import Foundation

/// An `ArtifactStorage` in memory, for tests of scheduling and staleness: blobs, manifests and run
/// records live in tables; blobs a node must read as files, and work directories, are written under a
/// private temporary directory. Counts of `put`s and manifest lookups let a test assert what was done.
public final class MemoryStore: ArtifactStorage, @unchecked Sendable {
    private let mutex = Mutex()
    private var blobs: [Digest: [UInt8]] = [:]
    private var actions: [Digest: Manifest] = [:]
    private var records: [String: WorkflowRecord] = [:]
    private var keyLocks: [Digest: NSLock] = [:]
    private var counter = 0
    /// Where file views of blobs and work directories go.
    public let scratch: String
    public private(set) var puts = 0

    public init() {
        scratch = NSTemporaryDirectory() + "jf-memory-store-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    public var location: String { "memory store (\(scratch))" }

    public func put(_ bytes: [UInt8]) throws(StoreError) -> Digest {
        let digest = Digest.of(bytes)
        mutex.withLock {
            puts += 1
            blobs[digest] = bytes
        }
        return digest
    }

    public func read(_ digest: Digest) throws(StoreError) -> [UInt8] {
        guard let bytes = mutex.withLock({ blobs[digest] }) else { throw .missingBlob(digest) }
        return bytes
    }

    public func hasObject(_ digest: Digest) -> Bool { mutex.withLock { blobs[digest] != nil } }

    /// Removes a blob, as a quarantine or a lost disk block would (for tests).
    public func drop(_ digest: Digest) { mutex.withLock { _ = blobs.removeValue(forKey: digest) } }

    public func verifiedPath(_ digest: Digest) throws(StoreError) -> String {
        let path = scratch + "/blobs/" + digest.hex
        if !FileIO.exists(path) {
            try FileIO.makeDirectories(scratch + "/blobs")
            try FileIO.atomicWrite(try read(digest), to: path, tmpDirectory: scratch, durable: false, mode: 0o444)
        }
        return path
    }

    public func displayPath(of digest: Digest) -> String { "memory:" + digest.hex }

    public func storedManifest(for key: Digest) -> Manifest? { mutex.withLock { actions[key] } }

    public func record(_ manifest: Manifest) throws(StoreError) { mutex.withLock { actions[manifest.key] = manifest } }

    public func workflowRecord(id: String) throws(StoreError) -> WorkflowRecord? { mutex.withLock { records[id] } }

    public func hasWorkflowRecord(workflow: String, keys: [String: Digest], id: String) -> Bool {
        mutex.withLock { records[id].map { $0.workflow == workflow && $0.nodes.mapValues(\.key) == keys } ?? false }
    }

    public func updateWorkflowRecord(workflow: String, nodes: [String: NodeRecord], id: String) throws(StoreError) {
        mutex.withLock {
            if records[id]?.nodes != nodes { records[id] = WorkflowRecord(workflow: workflow, updated: 0, nodes: nodes) }
        }
    }

    private final class Lease: StoreLease, @unchecked Sendable {
        let lock: NSLock
        init(_ lock: NSLock) {
            self.lock = lock
            lock.lock()
        }
        deinit { lock.unlock() }
    }

    private final class NoLease: StoreLease {}

    public func lockKey(_ key: Digest) throws(StoreError) -> any StoreLease {
        let lock = mutex.withLock { () -> NSLock in
            if let existing = keyLocks[key] { return existing }
            let made = NSLock()
            keyLocks[key] = made
            return made
        }
        return Lease(lock)
    }

    public func lockForRun() throws(StoreError) -> any StoreLease { NoLease() }

    /// In one process the holder's lock already covers every thread.
    public func joinKeyLock(_ key: Digest, token: String) -> (any StoreLease)? { nil }

    public func jobDirectory(for key: Digest) -> String { scratch + "/jobs/" + key.hex }

    public func makeWorkDirectory() throws(StoreError) -> String {
        let n = mutex.withLock { () -> Int in counter += 1; return counter }
        let path = scratch + "/work/\(n)"
        try FileIO.makeDirectories(path)
        return path
    }

    public func removeWorkDirectory(_ path: String) { FileIO.removeTree(path) }

    public func resumeDirectory(for key: Digest) -> String { scratch + "/resume/" + key.hex }

    public func clearResumeDirectory(for key: Digest) {
        FileIO.removeTree(scratch + "/resume/" + key.hex)
    }

    public func availableBytes() -> Int? { nil }

    public func persist() {}
}
