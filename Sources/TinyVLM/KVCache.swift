import Compute

/// Keys and values of one decoder's sequences, laid out for one query row at a time. Per (layer,
/// sequence, head), both are one contiguous stream in position order: keys in blocks of eight
/// positions, each block channel-major (channel j of positions 8b…8b+7 side by side, so eight scores
/// come from one vector multiply-add per channel), values row-major (positions × headSize).
/// `stride` rounds the positions up to a multiple of 8; the key lanes past the last position of a block
/// are read, but their scores are discarded.
final class KVCache {
    let layers: Int, sequences: Int, heads: Int, headSize: Int, positions: Int, stride: Int
    let storage: Buffer
    private let half: Int
    /// Positions filled so far, per sequence.
    var length: [Int]

    /// Takes its storage from `pool` (give `storage` back when done); stale values reach only the score
    /// lanes that are discarded.
    init(config: ModelConfig, sequences: Int, pool: BufferPool) {
        layers = config.layers
        self.sequences = sequences
        heads = config.heads
        headSize = config.d / config.heads
        positions = config.positions
        stride = Self.paddedPositions(positions)
        half = layers * sequences * config.d * stride
        storage = pool.take(sequences * Self.floatsPerSequence(config))
        length = Array(repeating: 0, count: sequences)
    }

    /// Positions rounded up to whole blocks of eight: the cache's length per (layer, sequence, head).
    static func paddedPositions(_ positions: Int) -> Int { (positions + 7) / 8 * 8 }

    /// The floats one sequence's keys and values take: every layer and channel, every padded position.
    static func floatsPerSequence(_ config: ModelConfig) -> Int { 2 * config.layers * config.d * paddedPositions(config.positions) }

    private func slot(_ layer: Int, _ sequence: Int, _ head: Int) -> Int {
        ((layer * sequences + sequence) * heads + head) * headSize * stride
    }

    func keys(layer: Int, sequence: Int, head: Int) -> UnsafeMutablePointer<Float> { storage.pointer + slot(layer, sequence, head) }
    func values(layer: Int, sequence: Int, head: Int) -> UnsafeMutablePointer<Float> { storage.pointer + half + slot(layer, sequence, head) }

    /// Stores the key and value rows (d floats each, heads side by side) of one position.
    func store(layer: Int, sequence: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        for h in 0..<heads {
            let k = keys(layer: layer, sequence: sequence, head: h) + (position / 8) * headSize * 8 + position % 8
            let v = values(layer: layer, sequence: sequence, head: h) + position * headSize
            for j in 0..<headSize {
                k[j * 8] = key[h * headSize + j]
                v[j] = value[h * headSize + j]
            }
        }
    }

    /// out (headSize) = softmax(scale · q·Kᵀ over positions 0 ..< visible) · V for one head of one query
    /// row. `scores` is scratch of at least `stride` floats. The arithmetic depends only on this row.
    func attend(query q: UnsafePointer<Float>, layer: Int, sequence: Int, head: Int, visible: Int, scale: Float,
                scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let keys = UnsafePointer(keys(layer: layer, sequence: sequence, head: head))
        let values = UnsafePointer(values(layer: layer, sequence: sequence, head: head))
        let hs = headSize
        // Scores, 64 / 32 / 8 positions at a time (independent accumulators hide the FMA latency).
        let padded = (visible + 7) / 8 * 8
        var s = 0
        while padded - s >= 64 { scores64(q, keys + s * hs, hs: hs, scale: scale, into: scores + s); s += 64 }
        if padded - s >= 32 { scores32(q, keys + s * hs, hs: hs, scale: scale, into: scores + s); s += 32 }
        while s < padded { scores8(q, keys + s * hs, hs: hs, scale: scale, into: scores + s); s += 8 }
        // Softmax over the visible positions, eight lanes at a time; the padding lanes hold −∞ for the
        // maximum and 0 for the sum.
        for i in visible..<padded { scores[i] = -.infinity }
        let lanes = UnsafeMutableRawPointer(scores)
        var top = SIMD8<Float>(repeating: -.infinity)
        for b in Swift.stride(from: 0, to: padded, by: 8) {
            let v = lanes.load(fromByteOffset: b * 4, as: SIMD8<Float>.self)
            top.replace(with: v, where: v .> top)
        }
        var shift = top[0]
        for i in 1..<8 { shift = Swift.max(shift, top[i]) }
        expShifted(out: scores, inp: scores, count: padded, shift: shift)
        for i in visible..<padded { scores[i] = 0 }
        var sums = SIMD8<Float>()
        for b in Swift.stride(from: 0, to: padded, by: 8) { sums += lanes.load(fromByteOffset: b * 4, as: SIMD8<Float>.self) }
        let inverse = 1 / sums.sum()
        var c = 0
        while hs - c >= 32 { weightedSum32(scores, values + c, visible: visible, hs: hs, scale: inverse, into: out + c); c += 32 }
        while hs - c >= 8 { weightedSum8(scores, values + c, visible: visible, hs: hs, scale: inverse, into: out + c); c += 8 }
        while c < hs {
            var acc: Float = 0
            for i in 0..<visible { acc += scores[i] * values[i * hs + c] }
            out[c] = acc * inverse
            c += 1
        }
    }

    /// scores[0..<64] = scale · Σ_j q[j]·keys[j, 0..<64].
    @inline(__always)
    private func scores64(_ q: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, hs: Int, scale: Float,
                          into scores: UnsafeMutablePointer<Float>) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
        var row = UnsafeRawPointer(keys)
        let b = hs * 32  // bytes between blocks
        for j in 0..<hs {
            let x = SIMD8<Float>(repeating: q[j])
            a0 = a0.addingProduct(x, row.loadUnaligned(as: SIMD8<Float>.self))
            a1 = a1.addingProduct(x, row.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self))
            a2 = a2.addingProduct(x, row.loadUnaligned(fromByteOffset: 2 * b, as: SIMD8<Float>.self))
            a3 = a3.addingProduct(x, row.loadUnaligned(fromByteOffset: 3 * b, as: SIMD8<Float>.self))
            a4 = a4.addingProduct(x, row.loadUnaligned(fromByteOffset: 4 * b, as: SIMD8<Float>.self))
            a5 = a5.addingProduct(x, row.loadUnaligned(fromByteOffset: 5 * b, as: SIMD8<Float>.self))
            a6 = a6.addingProduct(x, row.loadUnaligned(fromByteOffset: 6 * b, as: SIMD8<Float>.self))
            a7 = a7.addingProduct(x, row.loadUnaligned(fromByteOffset: 7 * b, as: SIMD8<Float>.self))
            row += 32
        }
        let out = UnsafeMutableRawPointer(scores), k = SIMD8<Float>(repeating: scale)
        out.storeBytes(of: a0 * k, as: SIMD8<Float>.self)
        out.storeBytes(of: a1 * k, toByteOffset: 32, as: SIMD8<Float>.self)
        out.storeBytes(of: a2 * k, toByteOffset: 64, as: SIMD8<Float>.self)
        out.storeBytes(of: a3 * k, toByteOffset: 96, as: SIMD8<Float>.self)
        out.storeBytes(of: a4 * k, toByteOffset: 128, as: SIMD8<Float>.self)
        out.storeBytes(of: a5 * k, toByteOffset: 160, as: SIMD8<Float>.self)
        out.storeBytes(of: a6 * k, toByteOffset: 192, as: SIMD8<Float>.self)
        out.storeBytes(of: a7 * k, toByteOffset: 224, as: SIMD8<Float>.self)
    }

    /// scores[0..<32] = scale · Σ_j q[j]·keys[j, 0..<32] (even and odd channels in separate accumulators).
    @inline(__always)
    private func scores32(_ q: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, hs: Int, scale: Float,
                          into scores: UnsafeMutablePointer<Float>) {
        var e0 = SIMD8<Float>(), e1 = SIMD8<Float>(), e2 = SIMD8<Float>(), e3 = SIMD8<Float>()
        var o0 = SIMD8<Float>(), o1 = SIMD8<Float>(), o2 = SIMD8<Float>(), o3 = SIMD8<Float>()
        var row = UnsafeRawPointer(keys)
        let b = hs * 32  // bytes between blocks
        var j = 0
        while j + 2 <= hs {
            let x = SIMD8<Float>(repeating: q[j]), y = SIMD8<Float>(repeating: q[j + 1])
            e0 = e0.addingProduct(x, row.loadUnaligned(as: SIMD8<Float>.self))
            e1 = e1.addingProduct(x, row.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self))
            e2 = e2.addingProduct(x, row.loadUnaligned(fromByteOffset: 2 * b, as: SIMD8<Float>.self))
            e3 = e3.addingProduct(x, row.loadUnaligned(fromByteOffset: 3 * b, as: SIMD8<Float>.self))
            o0 = o0.addingProduct(y, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            o1 = o1.addingProduct(y, row.loadUnaligned(fromByteOffset: b + 32, as: SIMD8<Float>.self))
            o2 = o2.addingProduct(y, row.loadUnaligned(fromByteOffset: 2 * b + 32, as: SIMD8<Float>.self))
            o3 = o3.addingProduct(y, row.loadUnaligned(fromByteOffset: 3 * b + 32, as: SIMD8<Float>.self))
            row += 64
            j += 2
        }
        if j < hs {
            let x = SIMD8<Float>(repeating: q[j])
            e0 = e0.addingProduct(x, row.loadUnaligned(as: SIMD8<Float>.self))
            e1 = e1.addingProduct(x, row.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self))
            e2 = e2.addingProduct(x, row.loadUnaligned(fromByteOffset: 2 * b, as: SIMD8<Float>.self))
            e3 = e3.addingProduct(x, row.loadUnaligned(fromByteOffset: 3 * b, as: SIMD8<Float>.self))
        }
        let out = UnsafeMutableRawPointer(scores), k = SIMD8<Float>(repeating: scale)
        out.storeBytes(of: (e0 + o0) * k, as: SIMD8<Float>.self)
        out.storeBytes(of: (e1 + o1) * k, toByteOffset: 32, as: SIMD8<Float>.self)
        out.storeBytes(of: (e2 + o2) * k, toByteOffset: 64, as: SIMD8<Float>.self)
        out.storeBytes(of: (e3 + o3) * k, toByteOffset: 96, as: SIMD8<Float>.self)
    }

    /// scores[0..<8] = scale · Σ_j q[j]·keys[j, 0..<8] (even and odd channels in separate accumulators).
    @inline(__always)
    private func scores8(_ q: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, hs: Int, scale: Float,
                         into scores: UnsafeMutablePointer<Float>) {
        var even = SIMD8<Float>(), odd = SIMD8<Float>()
        let row = UnsafeRawPointer(keys)
        var j = 0
        while j + 2 <= hs {
            even = even.addingProduct(SIMD8(repeating: q[j]), row.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self))
            odd = odd.addingProduct(SIMD8(repeating: q[j + 1]), row.loadUnaligned(fromByteOffset: (j + 1) * 32, as: SIMD8<Float>.self))
            j += 2
        }
        if j < hs { even = even.addingProduct(SIMD8(repeating: q[j]), row.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self)) }
        UnsafeMutableRawPointer(scores).storeBytes(of: (even + odd) * scale, as: SIMD8<Float>.self)
    }

    /// out[0..<32] = scale · Σ_i p[i]·values[i, 0..<32] (rows `hs` apart; even and odd positions in
    /// separate accumulators, summed at the end: a fixed order).
    @inline(__always)
    private func weightedSum32(_ p: UnsafePointer<Float>, _ values: UnsafePointer<Float>, visible: Int, hs: Int, scale: Float,
                               into out: UnsafeMutablePointer<Float>) {
        var e0 = SIMD8<Float>(), e1 = SIMD8<Float>(), e2 = SIMD8<Float>(), e3 = SIMD8<Float>()
        var o0 = SIMD8<Float>(), o1 = SIMD8<Float>(), o2 = SIMD8<Float>(), o3 = SIMD8<Float>()
        var row = UnsafeRawPointer(values)
        let step = hs * 4
        var i = 0
        while i + 2 <= visible {
            let x = SIMD8<Float>(repeating: p[i]), y = SIMD8<Float>(repeating: p[i + 1])
            e0 = e0.addingProduct(x, row.loadUnaligned(as: SIMD8<Float>.self))
            e1 = e1.addingProduct(x, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            e2 = e2.addingProduct(x, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            e3 = e3.addingProduct(x, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            o0 = o0.addingProduct(y, row.loadUnaligned(fromByteOffset: step, as: SIMD8<Float>.self))
            o1 = o1.addingProduct(y, row.loadUnaligned(fromByteOffset: step + 32, as: SIMD8<Float>.self))
            o2 = o2.addingProduct(y, row.loadUnaligned(fromByteOffset: step + 64, as: SIMD8<Float>.self))
            o3 = o3.addingProduct(y, row.loadUnaligned(fromByteOffset: step + 96, as: SIMD8<Float>.self))
            row += 2 * step
            i += 2
        }
        if i < visible {
            let x = SIMD8<Float>(repeating: p[i])
            e0 = e0.addingProduct(x, row.loadUnaligned(as: SIMD8<Float>.self))
            e1 = e1.addingProduct(x, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            e2 = e2.addingProduct(x, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            e3 = e3.addingProduct(x, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
        }
        let o = UnsafeMutableRawPointer(out)
        o.storeBytes(of: (e0 + o0) * scale, as: SIMD8<Float>.self)
        o.storeBytes(of: (e1 + o1) * scale, toByteOffset: 32, as: SIMD8<Float>.self)
        o.storeBytes(of: (e2 + o2) * scale, toByteOffset: 64, as: SIMD8<Float>.self)
        o.storeBytes(of: (e3 + o3) * scale, toByteOffset: 96, as: SIMD8<Float>.self)
    }

    /// out[0..<8] = scale · Σ_i p[i]·values[i, 0..<8], as `weightedSum32`.
    @inline(__always)
    private func weightedSum8(_ p: UnsafePointer<Float>, _ values: UnsafePointer<Float>, visible: Int, hs: Int, scale: Float,
                              into out: UnsafeMutablePointer<Float>) {
        var even = SIMD8<Float>(), odd = SIMD8<Float>()
        let row = UnsafeRawPointer(values)
        var i = 0
        while i + 2 <= visible {
            even = even.addingProduct(SIMD8(repeating: p[i]), row.loadUnaligned(fromByteOffset: i * hs * 4, as: SIMD8<Float>.self))
            odd = odd.addingProduct(SIMD8(repeating: p[i + 1]), row.loadUnaligned(fromByteOffset: (i + 1) * hs * 4, as: SIMD8<Float>.self))
            i += 2
        }
        if i < visible { even = even.addingProduct(SIMD8(repeating: p[i]), row.loadUnaligned(fromByteOffset: i * hs * 4, as: SIMD8<Float>.self)) }
        UnsafeMutableRawPointer(out).storeBytes(of: (even + odd) * scale, as: SIMD8<Float>.self)
    }
}
