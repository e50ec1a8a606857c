import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the engine and planner see of a store (REAPI's split): a content-addressed blob storage, an
/// action cache from node key to output manifest, the latest run record of each workflow, locks, and
/// private work areas. `ArtifactStore` keeps it on disk; `MemoryStore` in memory, for tests. Nothing
/// outside an implementation knows how it lays things out: a person is shown `displayPath(of:)`.
///
/// Only the primitives differ between implementations; how files and directories become blobs, what
/// makes a manifest complete, and how outputs are written back are the same for all (the extension below).
public protocol ArtifactStorage: ActionCache {
    /// Where the store is, for messages (a directory for the on-disk store).
    var location: String { get }

    // MARK: Blobs

    /// Stores bytes under their SHA-256; idempotent (a stored blob that no longer matches its name is replaced).
    @discardableResult
    func put(_ bytes: [UInt8]) throws(StoreError) -> Digest
    /// A blob's bytes, verified against its name; a mismatch quarantines the blob and throws.
    func read(_ digest: Digest) throws(StoreError) -> [UInt8]
    func hasObject(_ digest: Digest) -> Bool
    /// A read-only file holding the blob's verified bytes, for a node to read in place.
    func verifiedPath(_ digest: Digest) throws(StoreError) -> String
    /// Where a person can look at a blob.
    func displayPath(of digest: Digest) -> String

    // MARK: Action cache

    /// The manifest last recorded for `key` as stored, without checking its blobs (`manifest(for:)` does).
    func storedManifest(for key: Digest) -> Manifest?
    /// Records a manifest; call only after every blob it names is stored.
    func record(_ manifest: Manifest) throws(StoreError)

    // MARK: Run records

    /// A workflow's latest run; nil if it never ran here; an unreadable record throws.
    func workflowRecord(id: String) throws(StoreError) -> WorkflowRecord?
    /// Replaces the record unless it already lists exactly these nodes.
    func updateWorkflowRecord(workflow: String, nodes: [String: NodeRecord], id: String) throws(StoreError)
    /// Whether the stored record lists exactly these nodes with these keys (a no-op run then writes nothing).
    func hasWorkflowRecord(workflow: String, keys: [String: Digest], id: String) -> Bool

    // MARK: Locks

    /// Blocks until this process holds the build lock for `key` (released when the lease is dropped).
    func lockKey(_ key: Digest) throws(StoreError) -> any StoreLease
    /// Held for a whole run, so maintenance cannot delete what a run is using.
    func lockForRun() throws(StoreError) -> any StoreLease
    /// Renews, from this process too, the build lock on `key` that another process holds with `token`
    /// (a Slurm job for its driver), while the result lives; nil if no such lock is held.
    func joinKeyLock(_ key: Digest, token: String) -> (any StoreLease)?

    // MARK: Work areas

    /// A fresh private directory for one node execution.
    func makeWorkDirectory() throws(StoreError) -> String
    /// Removes a directory `makeWorkDirectory` made, with everything in it.
    func removeWorkDirectory(_ path: String)
    /// Where an execution of `key` keeps checkpoints that a later attempt resumes from; the node creates
    /// it when it first checkpoints (most never do).
    func resumeDirectory(for key: Digest) -> String
    func clearResumeDirectory(for key: Digest)
    /// Where the batch jobs that build `key` keep their scripts and logs.
    func jobDirectory(for key: Digest) -> String
    /// Bytes that can still be written (nil if unknown).
    func availableBytes() -> Int?
    /// Makes everything written so far durable against a power loss (the end of a run calls it).
    func persist()
    /// Where the digests of files in a workspace directory are remembered by their status; nil: nowhere,
    /// every file is hashed each time it is checked.
    func fileDigestCache(forWorkspace directory: String) -> FileDigestCache?
}

/// The read-only view of the action cache that deciding staleness needs.
public protocol ActionCache: AnyObject, Sendable {
    /// The manifest recorded for `key`, if complete (every blob it names is present).
    func manifest(for key: Digest) -> Manifest?
}

/// A held lock; dropping the last reference releases it.
public protocol StoreLease: AnyObject, Sendable {}

extension ArtifactStorage {
    public func fileDigestCache(forWorkspace directory: String) -> FileDigestCache? { nil }

    /// The manifest recorded for a key, if it exists and every blob it names is present: each output,
    /// every file of each directory output (its tree blob is read and verified), and the run's log. A
    /// blob quarantined as corrupt therefore makes its producer rerun, wherever it sat.
    public func manifest(for key: Digest) -> Manifest? {
        guard let manifest = storedManifest(for: key) else { return nil }
        if let log = manifest.run.log, !hasObject(log) { return nil }
        for ref in manifest.outputs.values {
            guard hasObject(ref.digest) else { return nil }
            if ref.isTree {
                guard let tree = try? tree(ref.digest) else { return nil }
                for entry in tree.entries where !hasObject(entry.digest) { return nil }
            }
        }
        return manifest
    }

    /// Copies a regular file into the store (the source may change later; the blob never does).
    public func putFile(_ path: String) throws(StoreError) -> OutputRef {
        let bytes = try FileIO.readAll(path)
        return OutputRef(digest: try put(bytes), size: bytes.count, isTree: false)
    }

    /// Stores every file under a directory and a tree blob listing them. Links are never followed: a
    /// directory output holds regular files and directories only, so a link is an error naming it.
    public func putDirectory(_ path: String) throws(StoreError) -> OutputRef {
        var entries: [Tree.Entry] = []
        var total = 0
        func walk(_ relative: String) throws(StoreError) {
            let full = relative.isEmpty ? path : path + "/" + relative
            for name in FileIO.listDirectory(full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let type = FileIO.linkType(path + "/" + rel)
                if type == S_IFDIR {
                    try walk(rel)
                } else if type != S_IFREG {
                    throw .notRegularFile(path: path + "/" + rel, kind: FileIO.kindName(type ?? 0))
                } else {
                    let ref = try putFile(path + "/" + rel)
                    entries.append(Tree.Entry(path: rel, digest: ref.digest, size: ref.size,
                                              executable: access(path + "/" + rel, X_OK) == 0))
                    total += ref.size
                }
            }
        }
        try walk("")
        return OutputRef(digest: try put(Records.encode(Tree(entries: entries))), size: total, isTree: true)
    }

    public func tree(_ digest: Digest) throws(StoreError) -> Tree {
        let bytes = try read(digest)
        do { return try JSONDecoder().decode(Tree.self, from: Data(bytes)) } catch {
            throw .badManifest(path: displayPath(of: digest), reason: "not a tree")
        }
    }

    /// Writes an output to `path` (a file, or a directory for a tree), verifying every blob it reads.
    /// Each file is written beside its target and renamed into place, so a reader never sees half of it.
    public func materialize(_ ref: OutputRef, at path: String) throws(StoreError) {
        if ref.isTree {
            try FileIO.makeDirectories(path)
            for entry in try tree(ref.digest).entries {
                try materialize(OutputRef(digest: entry.digest, size: entry.size, isTree: false), at: path + "/" + entry.path)
                if entry.executable { chmod(path + "/" + entry.path, 0o755) }
            }
        } else {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty { try FileIO.makeDirectories(parent) }
            try FileIO.atomicWrite(try read(ref.digest), to: path, tmpDirectory: parent.isEmpty ? "." : parent, durable: false)
        }
    }
}

/// Encoding of the store's JSON records: sorted keys, so equal records are equal bytes.
enum Records {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding our own plain records cannot fail; an empty blob would be caught by the next read.
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
