#if canImport(Glibc)
import Glibc
#endif

/// Memory for the big buffers that are read in scattered kilobyte runs (the key/value caches) on the
/// kernel's transparent huge pages. With 4 KiB pages such a pass needs a page-table walk every few
/// kilobytes, more than the core's TLB holds; a 2 MiB page covers 512 of them. Linux gives huge pages to
/// anonymous memory only where the program asks (`transparent_hugepage/enabled` = `madvise`, as here)
/// or everywhere (`always`); elsewhere the advice is ignored and the memory is ordinary. Each buffer is a
/// mapping of its own, so the advice covers that buffer alone and ends when it is unmapped (advice on
/// memory from malloc would stay on the range for whatever the allocator puts there next). No value
/// changes, only the address translation.
public enum HugePages {
    public static let size = 2 << 20

    /// Off where the environment sets `JUDGEFLOW_HUGEPAGES=0`, and on systems other than Linux.
    public static let enabled: Bool = {
        #if os(Linux)
        if let setting = getenv("JUDGEFLOW_HUGEPAGES"), String(cString: setting) == "0" { return false }
        return true
        #else
        return false
        #endif
    }()

    /// `bytes` bytes of zeroed memory in a mapping of its own, starting on a 2 MiB boundary, with its
    /// whole 2 MiB pages advised as huge; nil below 2 MiB, when disabled, or when the system refuses the
    /// mapping (the caller then allocates ordinary memory). Release with `unmap(_:bytes:)`.
    public static func map(bytes: Int) -> UnsafeMutableRawPointer? {
        #if os(Linux)
        guard enabled && bytes >= size else { return nil }
        let length = pageRounded(bytes), reserved = length + size
        guard let base = mmap(nil, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else { return nil }
        // Keep the 2 MiB-aligned part; give back what lies before and after it.
        let start = (Int(bitPattern: base) + size - 1) / size * size
        let head = start - Int(bitPattern: base), tail = reserved - head - length
        if head > 0 { munmap(base, head) }
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: start + length), tail) }
        let region = UnsafeMutableRawPointer(bitPattern: start)!
        // Advice only: an error (a kernel without transparent huge pages) leaves ordinary pages.
        _ = madvise(region, bytes / size * size, MADV_HUGEPAGE)
        return region
        #else
        return nil
        #endif
    }

    /// Returns memory from `map(bytes:)` (the same `bytes`) to the system.
    public static func unmap(_ region: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        munmap(region, pageRounded(bytes))
        #endif
    }

    #if os(Linux)
    private static func pageRounded(_ bytes: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return (bytes + page - 1) / page * page
    }
    #endif
}
