/// Multi-head self-attention over a packed qkv activation, batched over (batch, head) pairs: each pair
/// is small GEMMs and a masked softmax, run single-threaded, with pairs spread over threads (cheaper
/// than threading each small product). Pairs write disjoint outputs, so results do not depend on threads.
/// The products walk the causal mask in blocks of `causalBlock` rows and skip the keys no row of a block
/// sees — about a third of the work at 144 positions. Every skipped term is an exact zero, so the results
/// equal those of the full products (bitwise while a sum fits one 256-deep GEMM block).
///
/// Mask: position t sees positions 0 ..< max(t + 1, prefix). `prefix` = 0 is plain causal attention;
/// `prefix` = P lets the first P positions (the image patches) see each other bidirectionally.
public struct AttentionShape: Sendable {
    public var batch: Int
    public var time: Int
    public var channels: Int
    public var heads: Int
    public var prefix: Int
    public init(batch: Int, time: Int, channels: Int, heads: Int, prefix: Int = 0) {
        self.batch = batch
        self.time = time
        self.channels = channels
        self.heads = heads
        self.prefix = prefix
    }
    var headSize: Int { channels / heads }
    var scale: Float { 1 / Float(headSize).squareRoot() }
    func valid(_ t: Int) -> Int { max(t + 1, prefix) }
    /// Row blocks [lo, hi) of `causalBlock` rows.
    var blocks: StrideTo<Int> { stride(from: 0, to: time, by: causalBlock) }
    /// Keys the rows below `hi` see: 0 ..< keys(below: hi).
    func keys(below hi: Int) -> Int { min(time, max(hi, prefix)) }
    /// The first row that sees key `s` (rows before it have zero weight on it).
    func firstRow(seeing s: Int) -> Int { s < prefix ? 0 : s }
}

/// Rows per block of the causal products: a multiple of the GEMM's 6-row tile.
let causalBlock = 48

/// out (B, T, C) = attention(qkv (B, T, 3C)); att (B, NH, T, T) saves the probabilities.
public func attentionForward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
                             shape s: AttentionShape, threads: Int) {
    let pointers = UncheckedBox((out, att, qkv))
    parallelFor(s.batch * s.heads, threads: threads) { pair in
        let (out, att, qkv) = pointers.value
        attentionForward(pair: pair, out: out, att: att + pair * s.time * s.time, qkv: qkv, shape: s)
    }
}

/// One (batch, head) pair of `attentionForward` on the calling thread, its (T, T) probabilities in
/// `att`: a pair's result depends only on its own rows of qkv, so callers may run pairs in any grouping
/// (the inference pass keeps `att` in a small scratch that stays in cache).
public func attentionForward(pair: Int, out: UnsafeMutablePointer<Float>, att a: UnsafeMutablePointer<Float>,
                             qkv: UnsafePointer<Float>, shape s: AttentionShape) {
    let c = s.channels, t = s.time, hs = s.headSize
    let b = pair / s.heads, h = pair % s.heads
    let base = qkv + b * t * 3 * c
    let q = base + h * hs, k = base + c + h * hs, v = base + 2 * c + h * hs
    for lo in s.blocks {
        let hi = min(t, lo + causalBlock), rows = hi - lo, keys = s.keys(below: hi)
        GEMM.sgemm(.none, .transposed, m: rows, n: keys, k: hs, alpha: s.scale, a: q + lo * 3 * c, lda: 3 * c, b: k, ldb: 3 * c,
                   c: a + lo * t, ldc: t, threads: 1)
        softmaxForward(out: a + lo * t, inp: a + lo * t, n: rows, c: t, valid: { s.valid(lo + $0) })
        GEMM.sgemm(.none, .none, m: rows, n: hs, k: keys, a: a + lo * t, lda: t, b: v, ldb: 3 * c,
                   c: out + (b * t + lo) * c + h * hs, ldc: c, threads: 1)
    }
}

/// dqkv (B, T, 3C) += ∂L/∂qkv, from dout (B, T, C) and the saved att (`accumulate: false`: each row of a
/// pair's dq, dk and dv slices comes from one product, which then writes it (beta 0) instead of adding
/// to it: bitwise the same as zeroing dqkv first, since a product's sum is never −0).
public func attentionBackward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, att: UnsafePointer<Float>,
                              qkv: UnsafePointer<Float>, shape s: AttentionShape, threads: Int, accumulate: Bool = true) {
    let c = s.channels, t = s.time, hs = s.headSize
    let pointers = UncheckedBox((dqkv, dout, att, qkv))
    parallelFor(s.batch * s.heads, threads: threads) { pair in
        let (dqkv, dout, att, qkv) = pointers.value
        let b = pair / s.heads, h = pair % s.heads
        let base = qkv + b * t * 3 * c, dbase = dqkv + b * t * 3 * c
        let q = base + h * hs, k = base + c + h * hs, v = base + 2 * c + h * hs
        let dq = dbase + h * hs, dk = dbase + c + h * hs, dv = dbase + 2 * c + h * hs
        let beta: Float = accumulate ? 1 : 0
        let a = att + pair * t * t
        let g = dout + b * t * c + h * hs
        let datt = PackingArena.current.scratch(2 * t * t)
        let dscores = datt + t * t  // every row written whole by softmaxBackward (zeros past its keys)
        for lo in s.blocks {
            let hi = min(t, lo + causalBlock), rows = hi - lo, keys = s.keys(below: hi)
            // datt = dout_h · Vᵀ and dscores = softmax backward, over the keys these rows see.
            GEMM.sgemm(.none, .transposed, m: rows, n: keys, k: hs, a: g + lo * c, lda: c, b: v, ldb: 3 * c,
                       c: datt + lo * t, ldc: t, threads: 1)
            softmaxBackward(dinp: dscores + lo * t, out: a + lo * t, dout: datt + lo * t, n: rows, c: t, valid: { s.valid(lo + $0) },
                            accumulate: false)
            // dQ += scale · dscores · K
            GEMM.sgemm(.none, .none, m: rows, n: hs, k: keys, alpha: s.scale, a: dscores + lo * t, lda: t, b: k, ldb: 3 * c,
                       beta: beta, c: dq + lo * 3 * c, ldc: 3 * c, threads: 1)
        }
        for lo in s.blocks {
            // Keys lo ..< hi: dV += attᵀ · dout_h and dK += scale · dscoresᵀ · Q over the rows that see them.
            let hi = min(t, lo + causalBlock), first = s.firstRow(seeing: lo)
            GEMM.sgemm(.transposed, .none, m: hi - lo, n: hs, k: t - first, a: a + first * t + lo, lda: t, b: g + first * c, ldb: c,
                       beta: beta, c: dv + lo * 3 * c, ldc: 3 * c, threads: 1)
            GEMM.sgemm(.transposed, .none, m: hi - lo, n: hs, k: t - first, alpha: s.scale, a: dscores + first * t + lo, lda: t,
                       b: q + first * 3 * c, ldb: 3 * c, beta: beta, c: dk + lo * 3 * c, ldc: 3 * c, threads: 1)
        }
    }
}
