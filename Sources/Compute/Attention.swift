/// Multi-head self-attention over a packed qkv activation, batched over (batch, head) pairs: each pair
/// is two small GEMMs and a masked softmax, run single-threaded, with pairs spread over threads (cheaper
/// than threading each small product). Pairs write disjoint outputs, so results do not depend on threads.
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
}

/// out (B, T, C) = attention(qkv (B, T, 3C)); att (B, NH, T, T) saves the probabilities.
public func attentionForward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
                             shape s: AttentionShape, threads: Int) {
    let c = s.channels, t = s.time, hs = s.headSize
    let pointers = UncheckedBox((out, att, qkv))
    parallelFor(s.batch * s.heads, threads: threads) { pair in
        let (out, att, qkv) = pointers.value
        let b = pair / s.heads, h = pair % s.heads
        let base = qkv + b * t * 3 * c
        let q = base + h * hs, k = base + c + h * hs, v = base + 2 * c + h * hs
        let a = att + pair * t * t
        GEMM.sgemm(.none, .transposed, m: t, n: t, k: hs, alpha: s.scale, a: q, lda: 3 * c, b: k, ldb: 3 * c,
                   c: a, ldc: t, threads: 1)
        softmaxForward(out: a, inp: a, n: t, c: t, valid: s.valid)
        GEMM.sgemm(.none, .none, m: t, n: hs, k: t, a: a, lda: t, b: v, ldb: 3 * c, c: out + b * t * c + h * hs, ldc: c, threads: 1)
    }
}

/// dqkv (B, T, 3C) += ∂L/∂qkv, from dout (B, T, C) and the saved att.
public func attentionBackward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, att: UnsafePointer<Float>,
                              qkv: UnsafePointer<Float>, shape s: AttentionShape, threads: Int) {
    let c = s.channels, t = s.time, hs = s.headSize
    let pointers = UncheckedBox((dqkv, dout, att, qkv))
    parallelFor(s.batch * s.heads, threads: threads) { pair in
        let (dqkv, dout, att, qkv) = pointers.value
        let b = pair / s.heads, h = pair % s.heads
        let base = qkv + b * t * 3 * c, dbase = dqkv + b * t * 3 * c
        let q = base + h * hs, k = base + c + h * hs, v = base + 2 * c + h * hs
        let dq = dbase + h * hs, dk = dbase + c + h * hs, dv = dbase + 2 * c + h * hs
        let a = att + pair * t * t
        let g = dout + b * t * c + h * hs
        let datt = UnsafeMutablePointer<Float>.allocate(capacity: 2 * t * t)
        defer { datt.deallocate() }
        let dscores = datt + t * t
        // dV += attᵀ · dout_h
        GEMM.sgemm(.transposed, .none, m: t, n: hs, k: t, a: a, lda: t, b: g, ldb: c, beta: 1, c: dv, ldc: 3 * c, threads: 1)
        // datt = dout_h · Vᵀ
        GEMM.sgemm(.none, .transposed, m: t, n: t, k: hs, a: g, lda: c, b: v, ldb: 3 * c, c: datt, ldc: t, threads: 1)
        dscores.initialize(repeating: 0, count: t * t)
        softmaxBackward(dinp: dscores, out: a, dout: datt, n: t, c: t)
        // dQ += scale · dscores · K ; dK += scale · dscoresᵀ · Q
        GEMM.sgemm(.none, .none, m: t, n: hs, k: t, alpha: s.scale, a: dscores, lda: t, b: k, ldb: 3 * c, beta: 1, c: dq, ldc: 3 * c, threads: 1)
        GEMM.sgemm(.transposed, .none, m: t, n: hs, k: t, alpha: s.scale, a: dscores, lda: t, b: q, ldb: 3 * c, beta: 1, c: dk, ldc: 3 * c, threads: 1)
    }
}
