import Compute

/// An owned, zero-initialised, 64-byte-aligned Float buffer with a stable address (activations,
/// gradients, moments, caches).
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// `hugePages`: from 2 MiB up, on transparent huge pages (`HugePages`), for a buffer read in
    /// scattered kilobyte runs (the key/value cache: generation ran 7% faster, docs/PERFORMANCE.md).
    /// Not the default: buffers that start at the same 2 MiB offset then share cache sets too, and the
    /// passes that stream several of them side by side ran up to 5% slower.
    init(_ count: Int, hugePages: Bool = false) {
        self.count = max(count, 1)
        // Cache-line aligned: with malloc's 16-byte alignment every other 32-byte vector load straddled
        // two lines, which halved the throughput of the attention loops.
        let bytes = self.count * MemoryLayout<Float>.stride
        pointer = (hugePages ? HugePages.allocate(bytes: bytes) : .allocate(byteCount: bytes, alignment: 64))
            .bindMemory(to: Float.self, capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
