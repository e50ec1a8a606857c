/// The element-wise kernels' AVX-512 forms: GELU (with GELU′) over a stored GEMM tile and e^(x − shift)
/// over an array, 16 lanes per operation. This module alone is compiled for `skylake-avx512` (see
/// Package.swift); Compute calls it only on a CPU that has those instructions (`CPUFeatures`). The
/// arithmetic is VectorMath's, the same as Compute's 8-lane forms lane for lane, so the results are bit
/// for bit those of the AVX2 path. Why it pays: these functions are one long chain of dependent
/// operations per vector, and the core keeps only so many in flight; a 16-lane operation does twice the
/// work per slot (`judgeflow-bench elementwise` on this machine: e^x 4.4 → 2.7–3.1 ns per eight values,
/// GELU 8.1 → 4.7–5.7). The loops themselves are VectorMath's `vectorExpShifted` and `vectorGeluTile`,
/// the ones Compute runs on eight lanes.
/// Nothing here is inlinable: its code must stay compiled for AVX-512, inside this module.
import VectorMath

public enum WideMath {
    /// gelu[r, 0..<16] = GELU(c[r, 0..<16]) for r < rows, and slope[r, ·] = GELU′ when given (leading
    /// dimension ldg for both; slope may be c itself).
    @inline(never)
    public static func geluTile(rows: Int, c: UnsafePointer<Float>, ldc: Int, gelu g: UnsafeMutablePointer<Float>, ldg: Int,
                                slope: UnsafeMutablePointer<Float>?) {
        vectorGeluTile(SIMD16<Float>.self, rows: rows, c: c, ldc: ldc, gelu: g, ldg: ldg, slope: slope)
    }

    /// out[i] = e^(inp[i] − shift) for i < count (out may alias inp).
    @inline(never)
    public static func expShifted(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int, shift: Float) {
        vectorExpShifted(SIMD16<Float>.self, out: out, inp: inp, count: count, shift: shift)
    }
}
