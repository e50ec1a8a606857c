#if canImport(Glibc)
import Glibc
#endif

/// Allocation of the big float buffers (activations, gradients, key/value caches) on the kernel's
/// transparent huge pages. With 4 KiB pages a pass over tens of megabytes needs a page-table walk every
/// 4 KiB, more than the core's TLB holds; a 2 MiB page covers 512 of them. Linux gives huge pages to
/// anonymous memory only where the program asks (`transparent_hugepage/enabled` = `madvise`, as here)
/// or everywhere (`always`); elsewhere the advice is ignored and the memory is ordinary. No value
/// changes: only the address translation does.
public enum HugePages {
    public static let size = 2 << 20

    /// Off where the environment sets `JUDGEFLOW_HUGEPAGES=0`, and on systems without `madvise`.
    public static let enabled: Bool = {
        #if os(Linux)
        if let setting = getenv("JUDGEFLOW_HUGEPAGES"), String(cString: setting) == "0" { return false }
        return true
        #else
        return false
        #endif
    }()

    /// `bytes` bytes, 64-byte aligned; from 2 MiB up (when enabled) aligned to 2 MiB, with every whole
    /// 2 MiB page of it advised as huge before anything touches it. Release with `deallocate()`.
    public static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard enabled && bytes >= size else { return .allocate(byteCount: bytes, alignment: 64) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: size)
        #if os(Linux)
        // Advice only: an error (a kernel without transparent huge pages) leaves ordinary pages.
        _ = madvise(raw, bytes / size * size, MADV_HUGEPAGE)
        #endif
        return raw
    }
}
