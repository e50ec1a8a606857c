import Synchronization

/// Buffers kept between `generate` calls: a key/value cache allocated afresh at every call spent more
/// time in the kernel faulting in and zeroing pages than the decoder spent on some steps. Each call
/// takes one buffer per thread and gives it back; at most `limit` idle buffers are kept. New buffers go
/// on huge pages (`Buffer(_:hugePages:)`): a step reads the cache in kilobyte runs all over it.
final class BufferPool: Sendable {
    private let idle = Mutex<[Buffer]>([])
    private let limit: Int

    init(limit: Int = 4) { self.limit = limit }

    /// A buffer of at least `count` floats (contents unspecified).
    func take(_ count: Int) -> Buffer {
        let reused = idle.withLock { buffers -> Buffer? in
            guard let i = buffers.firstIndex(where: { $0.count >= count }) else { return nil }
            return buffers.remove(at: i)
        }
        return reused ?? Buffer(count, hugePages: true)
    }

    func give(_ buffer: Buffer) {
        idle.withLock { buffers in
            buffers.append(buffer)
            if buffers.count > limit { buffers.sort { $0.count > $1.count }; buffers.removeLast() }
        }
    }
}
