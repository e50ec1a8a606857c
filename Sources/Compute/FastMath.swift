/// Vectorised exp and tanh for the element-wise kernels (GELU, softmax, cross-entropy): libm's scalar
/// expf/tanhf cost more than all the GEMMs of a training step. Pure arithmetic in a fixed order, so
/// results are deterministic; exp is accurate to ~2 ulp over the clamped range [-87, 88]. The arithmetic
/// itself is VectorMath's, written once for any vector width.
import VectorMath

/// e^x for eight lanes (`vectorExp`, shared with the 16-lane kernels of WideMath).
@inline(__always)
public func simdExp(_ x: SIMD8<Float>) -> SIMD8<Float> { vectorExp(x) }

/// tanh(x) = 1 − 2 / (e^{2x} + 1) for eight lanes, saturating cleanly at ±1.
@inline(__always)
public func simdTanh(_ x: SIMD8<Float>) -> SIMD8<Float> { vectorTanh(x) }

/// Scalar forms through the same vector code (tails of arrays), so every element gets identical math.
@inline(__always)
public func fastExp(_ x: Float) -> Float { simdExp(SIMD8(repeating: x))[0] }

@inline(__always)
public func fastTanh(_ x: Float) -> Float { simdTanh(SIMD8(repeating: x))[0] }
