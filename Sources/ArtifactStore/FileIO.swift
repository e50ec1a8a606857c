import CGlibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's few system calls: atomic writes (temp file, fsync, rename, fsync of the directory),
/// hashing copies and directory creation. Nothing else in JudgeFlow writes into a store.
enum FileIO {
    /// `mkdir -p`: one call when the parent exists (the common case), the whole chain otherwise.
    static func makeDirectories(_ path: String) throws(StoreError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw .io(path: path, operation: "create directory", errno: errno) }
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw .io(path: partial, operation: "create directory", errno: errno)
            }
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether `path`, relative to the open directory `directory`, exists.
    static func exists(_ path: String, in directory: Int32) -> Bool { faccessat(directory, path, F_OK, 0) == 0 }

    /// An open descriptor of a directory, for lookups relative to it (`AT_FDCWD` if it cannot be opened:
    /// callers then pass absolute paths).
    static func openDirectory(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        return fd >= 0 ? fd : AT_FDCWD
    }

    /// Opens a regular file for reading (following a link to one). A FIFO, device or socket is refused
    /// before any read, so it can neither block a run nor stream forever into memory.
    static func openRegular(_ path: String) throws(StoreError) -> Int32 { try openRegularWithStat(path).fd }

    /// `openRegular`, also returning the file's status as opened (its size sizes the reader's buffer).
    /// A relative `path` is resolved against the open directory `directory` (`AT_FDCWD`: the working one).
    static func openRegularWithStat(_ path: String, in directory: Int32 = AT_FDCWD) throws(StoreError) -> (fd: Int32, status: stat) {
        let fd = openat(directory, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw .io(path: path, operation: "stat", errno: code)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notRegularFile(path: path, kind: kindName(st.st_mode))
        }
        return (fd, st)
    }

    /// What a non-regular file is, for messages.
    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "directory"
        case S_IFLNK: "symbolic link"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFIFO: "FIFO"
        case S_IFSOCK: "socket"
        default: "special file"
        }
    }

    /// The file's type without following a final link (`S_IFREG`, `S_IFDIR`, `S_IFLNK`, …), nil if absent.
    static func linkType(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : nil
    }

    /// The whole file. Read into a buffer of the size `fstat` reports plus one byte, so a file that did
    /// not change while open takes one `read` and one allocation (a no-op run reads a manifest per node);
    /// a file that grows meanwhile is still read to its end. With `atomicallyWritten` (the store's own
    /// records, which are only ever renamed into place, never written in place) the read stops at that
    /// size, saving the `read` that finds the end.
    /// A relative `path` is resolved against the open directory `directory`.
    static func readAll(_ path: String, in directory: Int32 = AT_FDCWD, atomicallyWritten: Bool = false) throws(StoreError) -> [UInt8] {
        let (fd, st) = try openRegularWithStat(path, in: directory)
        defer { close(fd) }
        let size = Int(st.st_size)
        var result = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while !(atomicallyWritten && count == size) {
            if count == result.count { result += [UInt8](repeating: 0, count: max(4096, result.count)) }
            let n = result.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 { if errno == EINTR { continue }; throw .io(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            count += n
        }
        result.removeLast(result.count - count)
        return result
    }

    /// One of the store's own records (a manifest), which are only ever renamed into place: one `read` into
    /// a buffer larger than nearly all of them, and its end is the file's end when it comes back short (a
    /// short read of a regular file is its end on Linux; were it not, the record would not parse and would
    /// count as absent, never as something else). A record that fills the buffer, or what is not a
    /// regular file, takes `readAll`'s path with its checks. A relative `path` is resolved against `directory`.
    static func readRecord(_ path: String, in directory: Int32) throws(StoreError) -> [UInt8] {
        let capacity = 16 << 10
        let fd = openat(directory, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        var n = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            repeat { n = read(fd, buffer.baseAddress, capacity) } while n < 0 && errno == EINTR
            count = max(n, 0)
        }
        let code = errno
        close(fd)
        if n < 0 { throw .io(path: path, operation: "read", errno: code) }
        return n < capacity ? bytes : try readAll(path, in: directory, atomicallyWritten: true)
    }

    /// At most the first `count` bytes of a file.
    static func readPrefix(_ path: String, count: Int) throws(StoreError) -> [UInt8] {
        let (fd, _) = try openRegularWithStat(path)
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = result.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n < 0 { if errno == EINTR { continue }; throw .io(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            filled += n
        }
        result.removeLast(count - filled)
        return result
    }

    /// Hashes a file without keeping it in memory: a buffer of at most 256 KiB, no larger than the file
    /// (plus one byte, to see its end in the same `read`), so hashing many small files stays cheap.
    static func hash(_ path: String) throws(StoreError) -> (Digest, Int) {
        let (fd, st) = try openRegularWithStat(path)
        defer { close(fd) }
        return try hash(fd, path: path, sizeHint: Int(st.st_size))
    }

    /// Hashes what is left to read of an open file (`path` is for messages).
    static func hash(_ fd: Int32, path: String, sizeHint: Int) throws(StoreError) -> (Digest, Int) {
        var hasher = SHA256()
        var size = 0
        let capacity = min(max(sizeHint, 0) + 1, 1 << 18)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, capacity)
            if n < 0 { if errno == EINTR { continue }; throw .io(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += n
        }
        return (hasher.finish(), size)
    }

    /// Writes `bytes` to a unique temp file in `tmpDirectory`, fsyncs it, and renames it to `path`,
    /// so a reader sees either nothing or the whole file, even if the process dies mid-write.
    static func atomicWrite(_ bytes: [UInt8], to path: String, tmpDirectory: String, durable: Bool = true,
                            mode: mode_t = 0o644) throws(StoreError) {
        let tmp = tmpDirectory + "/" + uniqueName()
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: tmp, operation: "create", errno: errno) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd); unlink(tmp)
                throw .io(path: tmp, operation: "write", errno: code)
            }
            offset += n
        }
        if durable { fsync(fd) }
        close(fd)
        try rename(tmp, to: path, durable: durable)
    }

    static func rename(_ from: String, to path: String, durable: Bool) throws(StoreError) {
        guard Glibc.rename(from, path) == 0 else {
            let code = errno
            unlink(from)
            throw .io(path: path, operation: "rename into", errno: code)
        }
        if durable { syncDirectory(of: path) }
    }

    static func syncDirectory(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// The current time by the clock of the filesystem holding `tmpDirectory`: the timestamps of a file
    /// created there and removed again (nil if none can be created). File timestamps on one device come
    /// from one clock, which need not be this machine's (a network filesystem's server stamps them).
    static func filesystemTime(tmpDirectory: String) -> FileDigestCache.FilesystemTime? {
        let path = tmpDirectory + "/" + uniqueName()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd); unlink(path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        // The older of the two, should a filesystem stamp them apart.
        let m = (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)), c = (Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec))
        let t = m < c ? m : c
        return FileDigestCache.FilesystemTime(device: UInt64(st.st_dev), seconds: t.0, nanoseconds: t.1)
    }

    /// Whether `path` is on NFS, SMB/CIFS or FUSE (sshfs and the like): filesystems whose clients may
    /// answer `stat` from a cache of attributes (`statfs` magic numbers from linux/magic.h).
    static func isNetworkFilesystem(_ path: String) -> Bool {
        var type = 0
        guard jf_filesystem_type(path, &type) == 0 else { return true }
        let networked: Set<UInt32> = [0x6969, 0x517B, 0xFF53_4D42, 0xFE53_4D42, 0x6573_5546]
        return networked.contains(UInt32(truncatingIfNeeded: type))
    }

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = Mutex()

    static func uniqueName() -> String {
        let n = counterLock.withLock { () -> Int in counter += 1; return counter }
        var tv = timeval()
        gettimeofday(&tv, nil)
        return "tmp-\(getpid())-\(n)-\(tv.tv_sec)\(tv.tv_usec)"
    }

    static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file or a directory tree (without following links); returns false if anything stayed.
    @discardableResult
    static func removeTree(_ path: String) -> Bool {
        if linkType(path) == S_IFDIR {
            for name in listDirectory(path) { removeTree(path + "/" + name) }
            return rmdir(path) == 0
        }
        return unlink(path) == 0 || errno == ENOENT
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }
}

/// A small pthread mutex for the few shared counters and tables in the store and engine.
public final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
