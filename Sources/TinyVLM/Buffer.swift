import Compute

/// An owned, zero-initialised, 64-byte-aligned Float buffer with a stable address (activations,
/// gradients, moments, caches).
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    /// The memory is a mapping of its own (`HugePages.map`), not the allocator's.
    private let mapped: Bool

    /// `hugePages`: from 2 MiB up, on transparent huge pages (`HugePages`), for a buffer read in
    /// scattered kilobyte runs (the key/value cache: generation ran 4–7% faster, docs/PERFORMANCE.md).
    /// Not the default: buffers that start at the same 2 MiB offset then share cache sets too, and the
    /// passes that stream several of them side by side ran up to 10% slower.
    init(_ count: Int, hugePages: Bool = false) {
        self.count = max(count, 1)
        let bytes = self.count * MemoryLayout<Float>.stride
        if hugePages, let region = HugePages.map(bytes: bytes) {
            // A fresh anonymous mapping reads as zeros.
            pointer = region.bindMemory(to: Float.self, capacity: self.count)
            mapped = true
        } else {
            // Cache-line aligned: with malloc's 16-byte alignment every other 32-byte vector load
            // straddled two lines, which halved the throughput of the attention loops.
            pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Float.self, capacity: self.count)
            pointer.initialize(repeating: 0, count: self.count)
            mapped = false
        }
    }

    deinit {
        if mapped { HugePages.unmap(UnsafeMutableRawPointer(pointer), bytes: count * MemoryLayout<Float>.stride) } else { pointer.deallocate() }
    }

    func zero() { pointer.update(repeating: 0, count: count) }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
