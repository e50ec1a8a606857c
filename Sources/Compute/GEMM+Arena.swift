#if canImport(Glibc)
import Glibc
#endif

/// Per-thread packing buffers, allocated once per thread and reused by every GEMM it runs: allocating
/// 2 MiB per call made the kernel zero fresh pages on every small product.
final class PackingArena {
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    /// The second half of the double-buffered B block a multi-threaded GEMM shares (GEMM+Threads.swift);
    /// pages are only touched by threads that start one.
    let b2: UnsafeMutablePointer<Float>

    /// Scratch for kernels that need a per-call work area (attention backward's two T×T matrices),
    /// grown on demand and kept: a fresh 166 KB allocation per (sequence, head) was an mmap, page faults
    /// and an munmap each time.
    private var scratch: UnsafeMutablePointer<Float>?
    private var scratchCount = 0

    func scratch(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let scratch, scratchCount >= count { return scratch }
        scratch?.deallocate()
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: count)
        scratch = fresh
        scratchCount = count
        return fresh
    }

    private init() {
        // + 8: packing's 8-wide stores may write two floats past the last 6-row panel.
        a = .allocate(capacity: (GEMM.mc + gemmMR) * GEMM.kc + 8)
        b = .allocate(capacity: (GEMM.nc + gemmNR) * GEMM.kc)
        b2 = .allocate(capacity: (GEMM.nc + gemmNR) * GEMM.kc)
    }

    deinit {
        a.deallocate()
        b.deallocate()
        b2.deallocate()
        scratch?.deallocate()
    }

    nonisolated(unsafe) private static var key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { pointer in
            if let pointer { Unmanaged<PackingArena>.fromOpaque(pointer).release() }
        }
        return k
    }()

    /// This thread's arena.
    static var current: PackingArena {
        if let existing = pthread_getspecific(key) { return Unmanaged<PackingArena>.fromOpaque(existing).takeUnretainedValue() }
        let arena = PackingArena()
        pthread_setspecific(key, Unmanaged.passRetained(arena).toOpaque())
        return arena
    }
}
