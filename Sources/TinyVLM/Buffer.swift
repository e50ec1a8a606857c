/// An owned, zero-initialised, 64-byte-aligned Float buffer with a stable address (activations,
/// gradients, moments, caches).
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = max(count, 1)
        // Cache-line aligned: with malloc's 16-byte alignment every other 32-byte vector load straddled
        // two lines, which halved the throughput of the attention loops.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
