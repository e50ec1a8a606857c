import ArtifactStore

/// The workflow's directory as the planner sees it: the digests of the files nodes read (their contents
/// enter node keys) and of the files nodes write (a missing or edited one is restored from the store).
/// `DiskWorkspace` hashes real files, each source file once per run; tests use `MemoryWorkspace`.
public protocol Workspace: AnyObject {
    /// The directory that relative paths are resolved against (shell commands run there).
    var directory: String { get }
    /// The digest of a file a node reads; a missing or non-regular file throws.
    func digest(of path: String) throws(StoreError) -> Digest
    /// The digest of a file as it is now, nil if missing or unreadable. Not kept for the run (restores
    /// change it); a `FileDigestCache` may answer it from the file's unchanged status.
    func currentDigest(of path: String) -> Digest?
    /// Keeps what was learnt about files for the next run (the end of a run calls it).
    func saveDigests()
}

extension Workspace {
    public func saveDigests() {}
}

public final class DiskWorkspace: Workspace {
    public let directory: String
    private var digests: [String: Digest] = [:]
    /// Remembers the digests of the files `currentDigest` checks (the outputs stages write into the
    /// workspace), so an unchanged file is not rehashed every run.
    private let outputDigests: FileDigestCache?

    public init(directory: String, digestCache: FileDigestCache? = nil) {
        self.directory = directory
        outputDigests = digestCache
    }

    public func digest(of path: String) throws(StoreError) -> Digest {
        if let d = digests[path] { return d }
        let d = try ArtifactStore.hashFile(directory + "/" + path).0
        digests[path] = d
        return d
    }

    public func currentDigest(of path: String) -> Digest? {
        if let outputDigests { return outputDigests.digest(of: directory + "/" + path, name: path) }
        return try? ArtifactStore.hashFile(directory + "/" + path).0
    }

    public func saveDigests() { outputDigests?.save() }
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
