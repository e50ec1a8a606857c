/// What can go wrong inside the store, with the path involved and what to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case corrupt(path: String, expected: Digest, actual: Digest)
    case missingBlob(Digest)
    case badManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .corrupt(let path, let expected, let actual):
            return "corrupt object \(path): content hashes to \(actual.short), expected \(expected.short) "
                + "(quarantined; rerun to rebuild it)"
        case .missingBlob(let digest):
            return "object \(digest.short) is missing from the store (run `judgeflow verify`, then rerun)"
        case .badManifest(let path, let reason):
            return "unreadable store record \(path): \(reason) (it is ignored; the node will rerun)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
