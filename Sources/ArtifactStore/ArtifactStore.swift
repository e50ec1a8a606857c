import CGlibc
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// ArtifactStore: the content-addressed artifact store — blobs named by SHA-256 and an action cache from
/// node key to output manifest (the split of Bazel's remote-execution API) — behind the `ArtifactStorage`
/// protocol, kept on disk by this type and in memory by `MemoryStore`.
///
/// On-disk layout under the root (default `artifacts/`):
/// `objects/ab/<hex>` blobs · `actions/ab/<key>.json` manifests · `workflows/<id>.json` latest runs ·
/// `state/<id>.digests` remembered digests of workspace files (FileDigestCache.swift) ·
/// `locks/` per-key and run leases (LeaseLock.swift) · `resume/` checkpoints of unfinished nodes · `jobs/` batch
/// jobs' scripts and logs · `quarantine/` corrupt blobs · `tmp/` writes in flight.
/// Every write is a temp file renamed into place, so a killed process never leaves a half-written record,
/// and a manifest is written only after all its blobs are in place. Blobs and manifests are not fsynced
/// one by one: `persist()` makes everything durable with one `syncfs` at the end of a run, and a power
/// loss before it can only lose or garble files that every read detects (names are digests, checked on
/// read; a manifest resolves only with its blobs present), so what was lost is rebuilt, never trusted. Nothing outside this type knows the
/// layout: the engine asks for work directories and blob paths, and `show` for `displayPath(of:)`.
public final class ArtifactStore: ArtifactStorage {
    public let root: String
    public var location: String { root }
    /// `objects/` and `actions/`, open for the lookups a no-op run makes per node (a manifest, its blobs'
    /// presence): relative to them the kernel walks two path components instead of the whole root.
    private let objectsDirectory: Int32, actionsDirectory: Int32
    /// Blobs this process has seen present and not moved or deleted since: a no-op run checks every
    /// manifest's blobs, and many share one (the empty log of every quiet shell stage). Deleting a blob
    /// is `gc`'s, which no run overlaps (run leases); quarantining goes through this type.
    nonisolated(unsafe) private var present = Set<Digest>()
    private let presentLock = Mutex()

    /// `root` may be relative: it is made absolute here, once, so every path the store hands out (to shell
    /// commands running in another directory, to records) means the same file wherever it is used.
    public init(root: String) throws(StoreError) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = (absolute as NSString).standardizingPath
        for dir in ["objects", "actions", "workflows", "locks", "quarantine", "tmp", "state"] {
            try FileIO.makeDirectories(self.root + "/" + dir)
        }
        objectsDirectory = FileIO.openDirectory(self.root + "/objects")
        actionsDirectory = FileIO.openDirectory(self.root + "/actions")
    }

    deinit {
        for fd in [objectsDirectory, actionsDirectory] where fd != AT_FDCWD { close(fd) }
    }

    var tmp: String { root + "/tmp" }

    func objectPath(_ digest: Digest) -> String {
        "\(root)/objects/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    /// `objectPath` relative to `objectsDirectory` (absolute if that could not be opened).
    func objectLookupPath(_ digest: Digest) -> String {
        objectsDirectory == AT_FDCWD ? objectPath(digest) : "\(digest.hex.prefix(2))/\(digest.hex)"
    }

    public func displayPath(of digest: Digest) -> String { objectPath(digest) }

    public func persist() {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = jf_syncfs(fd)
        close(fd)
    }

    func actionPath(_ key: Digest) -> String {
        "\(root)/actions/\(key.hex.prefix(2))/\(key.hex).json"
    }

    /// `actionPath` relative to `actionsDirectory` (absolute if that could not be opened).
    func actionLookupPath(_ key: Digest) -> String {
        actionsDirectory == AT_FDCWD ? actionPath(key) : "\(key.hex.prefix(2))/\(key.hex).json"
    }

    public func hasObject(_ digest: Digest) -> Bool {
        if presentLock.withLock({ present.contains(digest) }) { return true }
        guard FileIO.exists(objectLookupPath(digest), in: objectsDirectory) else { return false }
        presentLock.withLock { _ = present.insert(digest) }
        return true
    }

    /// Drops a blob from the ones known present (it is being moved or deleted).
    func forgetPresence(_ digest: Digest) { presentLock.withLock { _ = present.remove(digest) } }

    // MARK: Blobs

    /// Stores bytes; returns their digest. Idempotent; a stored blob of that name whose bytes no longer
    /// match (corrupted in place) is replaced.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(StoreError) -> Digest {
        let digest = Digest.of(bytes)
        let path = objectPath(digest)
        if !FileIO.exists(path) || (try? FileIO.hash(path).0) != digest {
            try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
            // Read-only: nodes receive blob paths directly, and must not be able to edit them.
            try FileIO.atomicWrite(bytes, to: path, tmpDirectory: tmp, durable: false, mode: 0o444)
        }
        return digest
    }

    /// A blob's bytes, verified against its name; a mismatch quarantines the blob and throws.
    public func read(_ digest: Digest) throws(StoreError) -> [UInt8] {
        let path = objectPath(digest)
        guard FileIO.exists(path) else { throw .missingBlob(digest) }
        let bytes = try FileIO.readAll(path)
        let actual = Digest.of(bytes)
        if actual != digest {
            throw .corrupt(path: path, expected: digest, actual: actual, quarantined: quarantine(digest))
        }
        return bytes
    }

    /// Moves a blob aside so lookups miss and the next run rebuilds it; false if it could not be moved
    /// (a read-only store), in which case it is still where it was.
    @discardableResult
    public func quarantine(_ digest: Digest) -> Bool {
        forgetPresence(digest)
        let destination = "\(root)/quarantine/\(digest.hex)-\(FileIO.uniqueName())"
        return Glibc.rename(objectPath(digest), destination) == 0
    }

    // MARK: Action cache

    public func storedManifest(for key: Digest) -> Manifest? {
        guard let bytes = try? FileIO.readRecord(actionLookupPath(key), in: actionsDirectory), let manifest = Manifest.read(bytes),
              manifest.formatVersion == Manifest.currentFormat, manifest.key == key else { return nil }
        return manifest
    }

    /// Records a manifest; call only after every blob it names is stored.
    public func record(_ manifest: Manifest) throws(StoreError) {
        let path = actionPath(manifest.key)
        try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
        try FileIO.atomicWrite(Records.encode(manifest), to: path, tmpDirectory: tmp, durable: false)
    }

    func removeAction(_ key: Digest) { unlink(actionPath(key)) }

    // MARK: Workflow records

    func workflowPath(_ id: String) -> String { "\(root)/workflows/\(id).json" }

    /// The record id of a workflow: a digest of its absolute path, so each workflow file has one latest run.
    public static func workflowID(for path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return Digest.of((absolute as NSString).standardizingPath).short
    }

    /// The latest run of a workflow; nil if it never ran against this store. A record that exists but
    /// does not decode is an error, never taken for "no record" (gc would drop everything it protects).
    public func workflowRecord(id: String) throws(StoreError) -> WorkflowRecord? {
        let path = workflowPath(id)
        guard FileIO.exists(path) else { return nil }
        let bytes = try FileIO.readAll(path)
        guard let record = WorkflowRecord.read(bytes) else {
            throw .badRecord(path: path, reason: "not a workflow record (\(bytes.count) bytes)")
        }
        return record
    }

    public func saveWorkflowRecord(_ record: WorkflowRecord, id: String) throws(StoreError) {
        try FileIO.atomicWrite(Records.encode(record), to: workflowPath(id), tmpDirectory: tmp)
    }

    /// Saves the record unless the stored one has the same nodes, so a no-op run writes nothing. A record
    /// carries the digest of its workflow path and node keys, read from its first bytes without decoding
    /// it; keys are enough, because a node's key is the digest of everything else its record holds.
    public func updateWorkflowRecord(workflow: String, nodes: [String: NodeRecord], id: String) throws(StoreError) {
        let digest = WorkflowRecord.digest(workflow: workflow, keys: nodes.mapValues(\.key))
        if hasWorkflowRecord(workflow: workflow, keys: nodes.mapValues(\.key), id: id) { return }
        var record = WorkflowRecord(workflow: workflow, updated: Date().timeIntervalSince1970, nodes: nodes)
        record.digest = digest.hex
        try saveWorkflowRecord(record, id: id)
    }

    public func hasWorkflowRecord(workflow: String, keys: [String: Digest], id: String) -> Bool {
        guard let stored = try? FileIO.readPrefix(workflowPath(id), count: WorkflowRecord.storedDigestPrefix) else { return false }
        return WorkflowRecord.storedDigest(in: stored) == WorkflowRecord.digest(workflow: workflow, keys: keys).hex
    }

    /// Every workflow record; the first one that does not decode is an error.
    public func allWorkflowRecords() throws(StoreError) -> [(id: String, record: WorkflowRecord)] {
        var records: [(id: String, record: WorkflowRecord)] = []
        for name in FileIO.listDirectory(root + "/workflows") where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            if let record = try workflowRecord(id: id) { records.append((id, record)) }
        }
        return records
    }
}

extension ArtifactStore {
    /// SHA-256 and size of any file (workspace files that enter node keys).
    public static func hashFile(_ path: String) throws(StoreError) -> (Digest, Int) { try FileIO.hash(path) }

    /// The path of a blob after checking that its bytes still match its name (quarantining it if not).
    public func verifiedPath(_ digest: Digest) throws(StoreError) -> String {
        let path = objectPath(digest)
        guard FileIO.exists(path) else { throw .missingBlob(digest) }
        let (actual, _) = try FileIO.hash(path)
        if actual != digest {
            throw .corrupt(path: path, expected: digest, actual: actual, quarantined: quarantine(digest))
        }
        return path
    }

    /// The remembered digests of files in the workspace `directory`, one cache per directory:
    /// `state/<id>.digests`, id a digest of its absolute path. None on a network filesystem, whose
    /// `stat` may answer from a client's attribute cache.
    public func fileDigestCache(forWorkspace directory: String) -> FileDigestCache? {
        guard !FileIO.isNetworkFilesystem(directory) else { return nil }
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let id = Digest.of((absolute as NSString).standardizingPath).short
        return FileDigestCache(path: "\(root)/state/\(id).digests", tmpDirectory: tmp)
    }

    public func resumeDirectory(for key: Digest) -> String { "\(root)/resume/\(key.hex)" }

    public func jobDirectory(for key: Digest) -> String { "\(root)/jobs/\(key.hex)" }

    /// Drops a key's resume state once its outputs are recorded.
    public func clearResumeDirectory(for key: Digest) {
        let path = resumeDirectory(for: key)
        if FileIO.exists(path) { FileIO.removeTree(path) }
    }

    /// Bytes an unprivileged writer can still add to the store's filesystem (nil if unknown).
    public func availableBytes() -> Int? {
        var fs = statvfs()
        guard statvfs(root, &fs) == 0 else { return nil }
        return Int(fs.f_bavail) * Int(fs.f_frsize)
    }

    public func removeWorkDirectory(_ path: String) { FileIO.removeTree(path) }

    /// A fresh private directory under `tmp/` for one node execution.
    public func makeWorkDirectory() throws(StoreError) -> String {
        let path = tmp + "/" + FileIO.uniqueName()
        try FileIO.makeDirectories(path)
        return path
    }
}
