/// What can go wrong inside the store, with the path involved and what to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    /// `quarantined` is false when the blob could not be moved aside (a read-only store).
    case corrupt(path: String, expected: Digest, actual: Digest, quarantined: Bool)
    case missingBlob(Digest)
    case badManifest(path: String, reason: String)
    /// A workflow record (`workflows/<id>.json`) that exists but does not decode.
    case badRecord(path: String, reason: String)
    /// A file the store will not capture or hash: a device, FIFO, socket or (inside a directory) a link.
    case notRegularFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .corrupt(let path, let expected, let actual, let quarantined):
            return "corrupt object \(path): content hashes to \(actual.short), expected \(expected.short) "
                + (quarantined ? "(quarantined; rerun to rebuild it)"
                               : "(could not be moved aside: is the store read-only? run `judgeflow verify` with write access)")
        case .missingBlob(let digest):
            return "object \(digest.short) is missing from the store (run `judgeflow verify`, then rerun)"
        case .badManifest(let path, let reason):
            return "unreadable store record \(path): \(reason) (it is ignored; the node will rerun)"
        case .badRecord(let path, let reason):
            return "unreadable workflow record \(path): \(reason); it names the latest run's results, which `gc` keeps "
                + "and `status` compares against: restore it, or delete it and rerun the workflow"
        case .notRegularFile(let path, let kind):
            return "\(path) is a \(kind), not a regular file: the store captures and hashes regular files and directories "
                + "only (copy the content into a file, or remove the link)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
