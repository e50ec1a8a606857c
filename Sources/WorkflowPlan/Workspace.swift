import ArtifactStore

/// The workflow's directory as the planner sees it: the digests of the files nodes read (their contents
/// enter node keys) and of the files nodes write (a missing or edited one is restored from the store).
/// `DiskWorkspace` hashes real files, each source file once per run; tests use `MemoryWorkspace`.
public protocol Workspace: AnyObject {
    /// The directory that relative paths are resolved against (shell commands run there).
    var directory: String { get }
    /// The digest of a file a node reads; a missing or non-regular file throws.
    func digest(of path: String) throws(StoreError) -> Digest
    /// The digest of a file as it is now, nil if missing or unreadable. Never cached: restores change it.
    func currentDigest(of path: String) -> Digest?
}

public final class DiskWorkspace: Workspace {
    public let directory: String
    private var digests: [String: Digest] = [:]

    public init(directory: String) { self.directory = directory }

    public func digest(of path: String) throws(StoreError) -> Digest {
        if let d = digests[path] { return d }
        let d = try ArtifactStore.hashFile(directory + "/" + path).0
        digests[path] = d
        return d
    }

    public func currentDigest(of path: String) -> Digest? { try? ArtifactStore.hashFile(directory + "/" + path).0 }
}

/// Workspace files as a table, for tests.
public final class MemoryWorkspace: Workspace {
    public let directory = "/memory-workspace"
    public var files: [String: String]

    public init(_ files: [String: String] = [:]) { self.files = files }

    public func digest(of path: String) throws(StoreError) -> Digest {
        guard let text = files[path] else { throw .io(path: path, operation: "open", errno: 2) }
        return Digest.of(text)
    }

    public func currentDigest(of path: String) -> Digest? { files[path].map { Digest.of($0) } }
}
