/// A Float32 tensor: contiguous, row-major, shape kept simple. Storage is a reference-counted buffer
/// copied only when a shared tensor is written (copy-on-write), so passing tensors around is free.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    private var storage: Storage

    final class Storage: @unchecked Sendable {
        var values: [Float]
        init(_ values: [Float]) { self.values = values }
    }

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.storage = Storage(values)
    }

    public init(zeros shape: [Int]) { self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *))) }

    public var count: Int { storage.values.count }
    public var values: [Float] { storage.values }

    /// Rows × columns when viewed as a matrix over the last dimension.
    public var rows: Int { shape.count <= 1 ? 1 : count / shape.last! }
    public var columns: Int { shape.last ?? 1 }

    /// The same values under another shape of equal size (no copy).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        var t = self
        t.shape = newShape
        return t
    }

    public subscript(flat i: Int) -> Float {
        get { storage.values[i] }
        set { makeUnique(); storage.values[i] = newValue }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.values) }
    }

    public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try storage.values.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try storage.values.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }

    public static func == (a: Tensor, b: Tensor) -> Bool { a.shape == b.shape && a.storage.values == b.storage.values }
}

/// Runs `body(i)` for i in 0..<count on up to `threads` threads of the shared worker pool (inline when 1,
/// or when the pool is already running a job). Participant j takes i = j, j + parts, j + 2·parts, …
@inline(__always)
public func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    if threads <= 1 || count <= 1 {
        for i in 0..<count { body(i) }
    } else {
        WorkerPool.shared.run(upTo: min(threads, count)) { part, parts in
            for i in stride(from: part, to: count, by: parts) { body(i) }
        }
    }
}

/// A value handed to threads that each touch a disjoint part of it.
public struct UncheckedBox<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
