import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `judgeflow verify` and `judgeflow gc`.
///
/// GC policy: the roots are the latest run of every workflow that ran against this store (its
/// `workflows/` record, which `judgeflow lock` also writes for a lock file). Every manifest those runs
/// reference is kept, with its outputs (trees expanded) and logs; other manifests and unreferenced blobs
/// are deleted, as are temp files and work directories of dead runs. GC takes the store-wide lock
/// exclusively, so it never runs while a `judgeflow run` holds it, and refuses to run while a workflow
/// record is unreadable (it could not know what that record protects).
extension ArtifactStore {
    public struct VerifyReport: Sendable, Codable {
        public var checked = 0
        /// Corrupt blobs (hex), quarantined unless listed in `notQuarantined` too.
        public var corrupt: [String] = []
        /// Corrupt blobs that could not be moved aside (a read-only store): still in `objects/`.
        public var notQuarantined: [String] = []
        /// Blobs that could not be read at all, with the reason.
        public var unreadable: [String] = []
        public var bytes = 0
    }

    /// Rehashes every blob; corrupt ones are quarantined (so their manifests miss and the next run rebuilds).
    public func verify() -> VerifyReport {
        var report = VerifyReport()
        for prefix in FileIO.listDirectory(root + "/objects") {
            for name in FileIO.listDirectory("\(root)/objects/\(prefix)") {
                guard let expected = Digest(hex: name) else { continue }
                report.checked += 1
                let actual: Digest, size: Int
                do { (actual, size) = try FileIO.hash(objectPath(expected)) } catch {
                    report.unreadable.append("\(expected.hex): \(error)")
                    continue
                }
                report.bytes += size
                if actual != expected {
                    report.corrupt.append(expected.hex)
                    if !quarantine(expected) { report.notQuarantined.append(expected.hex) }
                }
            }
        }
        return report
    }

    public struct CollectReport: Sendable, Codable {
        public var keptActions = 0
        public var removedActions = 0
        public var keptObjects = 0
        public var removedObjects = 0
        public var freedBytes = 0
    }

    public enum CollectError: Error, CustomStringConvertible {
        case busy
        case store(StoreError)
        public var description: String {
            switch self {
            case .busy: "a judgeflow run is using this store; run gc when it has finished"
            case .store(let e): e.description
            }
        }
    }

    public func collectGarbage(dryRun: Bool = false) throws(CollectError) -> CollectReport {
        let lock: LeaseLock?
        do { lock = try lockForCollection() } catch { throw .store(error) }
        guard let lock else { throw .busy }
        defer { withExtendedLifetime(lock) {} }

        var liveKeys: Set<Digest> = []
        let records: [(id: String, record: WorkflowRecord)]
        do { records = try allWorkflowRecords() } catch { throw .store(error) }
        for (_, record) in records { for node in record.nodes.values { liveKeys.insert(node.key) } }
        var liveObjects: Set<Digest> = []
        var report = CollectReport()
        for prefix in FileIO.listDirectory(root + "/actions") {
            for name in FileIO.listDirectory("\(root)/actions/\(prefix)") where name.hasSuffix(".json") {
                guard let key = Digest(hex: String(name.dropLast(5))) else { continue }
                if liveKeys.contains(key), let manifest = manifest(for: key) {
                    report.keptActions += 1
                    if let log = manifest.run.log { liveObjects.insert(log) }
                    for ref in manifest.outputs.values {
                        liveObjects.insert(ref.digest)
                        if ref.isTree, let tree = try? tree(ref.digest) { for e in tree.entries { liveObjects.insert(e.digest) } }
                    }
                } else {
                    report.removedActions += 1
                    if !dryRun { removeAction(key) }
                }
            }
        }
        for prefix in FileIO.listDirectory(root + "/objects") {
            for name in FileIO.listDirectory("\(root)/objects/\(prefix)") {
                guard let digest = Digest(hex: name) else { continue }
                if liveObjects.contains(digest) {
                    report.keptObjects += 1
                } else {
                    report.removedObjects += 1
                    report.freedBytes += FileIO.fileSize(objectPath(digest)) ?? 0
                    if !dryRun { forgetPresence(digest); unlink(objectPath(digest)) }
                }
            }
        }
        // No run holds the store (the exclusive lock above), so everything in tmp/ is left by a dead one.
        if !dryRun { for name in FileIO.listDirectory(tmp) { FileIO.removeTree(tmp + "/" + name) } }
        // Likewise every batch job has ended (a running one holds a run lease): their scripts and logs go.
        if !dryRun { for name in FileIO.listDirectory(root + "/jobs") { FileIO.removeTree(root + "/jobs/" + name) } }
        return report
    }
}
