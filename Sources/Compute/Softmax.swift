/// Row-wise softmax over the first `valid` entries of each row (the rest are set to 0): the masked form
/// attention needs, and plain softmax when valid == c.
#if canImport(Glibc)
import Glibc
#endif
import VectorMath
import WideMath

/// out (N, C) = softmax(inp) per row over columns 0..<valid(row).
public func softmaxForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int, c: Int, valid: (Int) -> Int = { _ in Int.max }) {
    for r in 0..<n {
        let x = inp + r * c, o = out + r * c
        let v = min(c, valid(r))
        expShifted(out: o, inp: x, count: v, shift: rowMax(x, v))
        let inv = SIMD8<Float>(repeating: 1 / rowSum(o, v))
        var i = 0
        while i + 8 <= v { store(lanes(o, i) * inv, o, i); i += 8 }
        while i < v { o[i] *= inv[0]; i += 1 }
        (o + v).update(repeating: 0, count: c - v)
    }
}

/// dinp (N, C) += softmax Jacobianᵀ · dout, given the forward output `out`: dx_i = y_i (dy_i − Σ_j y_j dy_j).
/// Only columns 0..<valid(row) are read or written (the forward pass set the rest of `out` to 0); with
/// `accumulate: false` the prior is a literal +0 and the rest of each row is set to 0: bitwise what
/// zeroing dinp first would give, without the pass that zeroes it.
public func softmaxBackward(dinp: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dout: UnsafePointer<Float>, n: Int, c: Int,
                            valid: (Int) -> Int = { _ in Int.max }, accumulate: Bool = true) {
    for r in 0..<n {
        let y = out + r * c, g = dout + r * c, dx = dinp + r * c
        let v = min(c, valid(r))
        let dot = rowDot(y, g, v), dv = SIMD8<Float>(repeating: dot)
        var i = 0
        while i + 8 <= v {
            let prior = accumulate ? lanes(dx, i) : SIMD8<Float>()
            store(prior + lanes(y, i) * (lanes(g, i) - dv), dx, i)
            i += 8
        }
        while i < v { dx[i] = (accumulate ? dx[i] : 0) + y[i] * (g[i] - dot); i += 1 }
        if !accumulate { (dx + v).update(repeating: 0, count: c - v) }
    }
}

/// out[i] = e^(inp[i] − shift), eight lanes at a time, or sixteen through WideMath where the CPU has
/// AVX-512 (the same bits; out may alias inp).
@inline(__always)
public func expShifted(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int, shift: Float) {
    if CPUFeatures.avx512 {
        WideMath.expShifted(out: out, inp: inp, count: count, shift: shift)
    } else {
        vectorExpShifted(SIMD8<Float>.self, out: out, inp: inp, count: count, shift: shift)
    }
}
