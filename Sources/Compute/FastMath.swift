/// Vectorised exp and tanh for the element-wise kernels (GELU, softmax, cross-entropy): libm's scalar
/// expf/tanhf cost more than all the GEMMs of a training step. Pure arithmetic in a fixed order, so
/// results are deterministic; exp is accurate to ~2 ulp over the clamped range [-87, 88].

/// e^x for eight lanes: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split), a degree-6 polynomial for
/// e^r, and 2^n built in the exponent bits.
@inline(__always)
public func simdExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    // Blends rather than `clamped`, whose generic pointwise min/max did not inline.
    let lo = SIMD8<Float>(repeating: -87.3), hi = SIMD8<Float>(repeating: 88.3)
    var clamped = x.replacing(with: lo, where: x .< lo)
    clamped = clamped.replacing(with: hi, where: clamped .> hi)
    // Round to the nearest integer with the 1.5·2²³ trick: adding it leaves the integer in the low
    // mantissa bits, which also gives n as an Int32 without a (slow, generic) conversion.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
    var r = clamped.addingProduct(n, SIMD8(repeating: -0.693_359_375))
    r = r.addingProduct(n, SIMD8(repeating: 2.121_944_4e-4))
    // Cephes expf: e^r ≈ 1 + r + r²·P(r).
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 0.166_666_65
    p = p * r + 0.500_000_01
    p = p * r * r + r + 1
    let bits = ni &+ 127
    let scale = unsafeBitCast(bits &<< 23, to: SIMD8<Float>.self)
    return p * scale
}

/// tanh(x) = 1 − 2 / (e^{2x} + 1), saturating cleanly at ±1.
@inline(__always)
public func simdTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let e = simdExp(x * 2)
    return 1 - 2 / (e + 1)
}

/// Scalar forms through the same vector code (tails of arrays), so every element gets identical math.
@inline(__always)
public func fastExp(_ x: Float) -> Float { simdExp(SIMD8(repeating: x))[0] }

@inline(__always)
public func fastTanh(_ x: Float) -> Float { simdTanh(SIMD8(repeating: x))[0] }
