/// An owned, zero-initialised Float buffer with a stable address (activations, gradients, moments).
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = max(count, 1)
        pointer = .allocate(capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
