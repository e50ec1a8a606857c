/// Exp, tanh and GELU written once for a Float vector of any width, so that the 8-lane forms of the AVX2
/// kernels (Compute) and the 16-lane forms of the AVX-512 kernels (WideMath) are the same operations in
/// the same order, lane for lane, and agree bit for bit. Every function is inlinable and specialised
/// where it is called: its code is compiled for the calling module's instruction set. Pure arithmetic,
/// deterministic; exp is accurate to ~2 ulp over the clamped range [−87, 88].

/// The Float vectors VectorMath is written for. The clamp is a requirement, implemented by each concrete
/// type: the generic SIMD comparisons and blends compile to a loop over the lanes, the concrete types'
/// to one vector compare and blend each.
public protocol FloatVector: SIMD where Scalar == Float, MaskStorage.Scalar == Int32 {
    /// Each lane limited to [lo, hi] (a NaN lane stays NaN).
    func clampedLanes(_ lo: Float, _ hi: Float) -> Self
}

extension SIMD8: FloatVector where Scalar == Float {
    @inlinable @inline(__always)
    public func clampedLanes(_ lo: Float, _ hi: Float) -> Self {
        let l = Self(repeating: lo), h = Self(repeating: hi)
        let low = replacing(with: l, where: self .< l)
        return low.replacing(with: h, where: low .> h)
    }
}

extension SIMD16: FloatVector where Scalar == Float {
    @inlinable @inline(__always)
    public func clampedLanes(_ lo: Float, _ hi: Float) -> Self {
        let l = Self(repeating: lo), h = Self(repeating: hi)
        let low = replacing(with: l, where: self .< l)
        return low.replacing(with: h, where: low .> h)
    }
}

/// e^x per lane: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split), a degree-6 polynomial for e^r, and
/// 2^n built in the exponent bits.
@inlinable @inline(__always)
public func vectorExp<V: FloatVector>(_ x: V) -> V {
    // Blends rather than `clamped`, whose generic pointwise min/max did not inline.
    let clamped = x.clampedLanes(-87.3, 88.3)
    // Round to the nearest integer with the 1.5·2²³ trick: adding it leaves the integer in the low
    // mantissa bits, which also gives n as an Int32 without a (slow, generic) conversion.
    let magic = V(repeating: 12_582_912)
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    let ni = unsafeBitCast(shifted, to: V.MaskStorage.self) &- unsafeBitCast(magic, to: V.MaskStorage.self)
    var r = clamped.addingProduct(n, V(repeating: -0.693_359_375))
    r = r.addingProduct(n, V(repeating: 2.121_944_4e-4))
    // Cephes expf: e^r ≈ 1 + r + r²·P(r).
    var p = V(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 0.166_666_65
    p = p * r + 0.500_000_01
    p = p * r * r + r + 1
    let bits = ni &+ 127
    let scale = unsafeBitCast(bits &<< 23, to: V.self)
    return p * scale
}

/// tanh(x) = 1 − 2 / (e^{2x} + 1) per lane, saturating cleanly at ±1.
@inlinable @inline(__always)
public func vectorTanh<V: FloatVector>(_ x: V) -> V {
    let e = vectorExp(x * 2)
    return 1 - 2 / (e + 1)
}

/// tanh(√(2/π)(x + 0.044715x³)), the term GELU (tanh form) and its derivative share.
@inlinable @inline(__always)
public func geluTanh<V: FloatVector>(_ x: V) -> V {
    let x2: V = x * x
    return vectorTanh(0.797_884_56 * (x + 0.044715 * x2 * x))
}

/// GELU(x) = 0.5·x·(1 + t) from its tanh term t (PyTorch's `approximate="tanh"`).
@inlinable @inline(__always)
public func gelu<V: FloatVector>(_ x: V, tanh t: V) -> V {
    0.5 * x * (1 + t)
}

/// GELU′(x) from its tanh term t: the factor the backward pass multiplies the output's gradient by.
@inlinable @inline(__always)
public func geluSlope<V: FloatVector>(_ x: V, tanh t: V) -> V {
    let x2: V = x * x
    let slope: V = 0.797_884_56 * (1 + 0.134145 * x2)
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * slope
}

/// out[i] = e^(inp[i] − shift) for i < count, `V.scalarCount` values per step, then eight, then one at a
/// time through lane 0: every value gets the same operations whatever V is (out may alias inp).
@inlinable @inline(__always)
public func vectorExpShifted<V: FloatVector>(_: V.Type, out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int,
                                             shift: Float) {
    var i = 0
    while i + V.scalarCount <= count {
        let x = UnsafeRawPointer(inp + i).loadUnaligned(as: V.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: vectorExp(x - shift), as: V.self)
        i += V.scalarCount
    }
    while i + 8 <= count {
        let x = UnsafeRawPointer(inp + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: vectorExp(x - shift), as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        out[i] = vectorExp(SIMD8<Float>(repeating: inp[i]) - shift)[0]
        i += 1
    }
}

/// GELU of a stored tile of C (`rows` × 16) into `gelu`, and GELU′ into `slope` when given (leading
/// dimension ldg for both; slope may be C itself), `V.scalarCount` columns per operation. Run after all
/// the tile's rows are stored, so its independent evaluations give the out-of-order core work to overlap.
@inlinable @inline(__always)
public func vectorGeluTile<V: FloatVector>(_: V.Type, rows: Int, c: UnsafePointer<Float>, ldc: Int, gelu g: UnsafeMutablePointer<Float>,
                                           ldg: Int, slope: UnsafeMutablePointer<Float>?) {
    for r in 0..<rows {
        var column = 0
        while column < 16 {
            let x = UnsafeRawPointer(c + r * ldc + column).loadUnaligned(as: V.self), t = geluTanh(x)
            UnsafeMutableRawPointer(g + r * ldg + column).storeBytes(of: gelu(x, tanh: t), as: V.self)
            if let s = slope { UnsafeMutableRawPointer(s + r * ldg + column).storeBytes(of: geluSlope(x, tanh: t), as: V.self) }
            column += V.scalarCount
        }
    }
}
