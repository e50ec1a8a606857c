import VectorMath

/// Work fused into a product's store, so an output is not written, read back and written again by a
/// separate pass: a linear layer's bias, a residual connection, the MLP's GELU with the derivative its
/// backward pass needs, and that backward pass's multiplication by the derivative.
///
/// Each is the same float operation, in the same order, as the pass it replaces, so fused and unfused
/// results are bitwise equal: `bias` is added to the first depth block's sum exactly as a C prefilled with
/// the bias and beta = 1 would be (it requires beta = 0); `residual` is added to the final sum, as
/// `out[i] += residual[i]` after the product would be (it must not overlap C: with more than one depth
/// block C holds partial sums by then); `factor` then multiplies it, as `geluBackward`'s
/// `dinp = +0 + dout · GELU′` would; `gelu` receives GELU of the final value, as `geluForward` would
/// write it (it may be C itself, as an in-place `geluForward` would be), and `geluSlope` beside it the
/// GELU′ that `geluBackward` would compute (it may be C itself, when `gelu` is not).
public struct GEMMEpilogue: @unchecked Sendable {
    /// N values added to every row of C.
    public var bias: UnsafePointer<Float>?
    /// M×N, leading dimension `ldr`, added after the whole sum.
    public var residual: UnsafePointer<Float>?
    public var ldr: Int
    /// M×N, leading dimension `ldg`: GELU of the final C.
    public var gelu: UnsafeMutablePointer<Float>?
    public var ldg: Int
    /// M×N, leading dimension `ldg` (beside `gelu`, which it requires): GELU′ of the final C.
    public var geluSlope: UnsafeMutablePointer<Float>?
    /// M×N, leading dimension `ldf`: the final C becomes +0 + C·factor.
    public var factor: UnsafePointer<Float>?
    public var ldf: Int

    public init(bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, ldr: Int = 0,
                gelu: UnsafeMutablePointer<Float>? = nil, ldg: Int = 0, geluSlope: UnsafeMutablePointer<Float>? = nil,
                factor: UnsafePointer<Float>? = nil, ldf: Int = 0) {
        self.bias = bias
        self.residual = residual
        self.ldr = ldr
        self.gelu = gelu
        self.ldg = ldg
        self.geluSlope = geluSlope
        self.factor = factor
        self.ldf = ldf
    }

    /// Whether any part writes or changes values beyond alpha·op(A)·op(B) + beta·C.
    var isEmpty: Bool { bias == nil && residual == nil && gelu == nil && factor == nil }

    public static let none = GEMMEpilogue()

    /// The parts that apply to one depth block: the bias to the first, the others to the last.
    @inline(__always)
    func stage(first: Bool, last: Bool) -> GEMMEpilogue {
        GEMMEpilogue(bias: first ? bias : nil, residual: last ? residual : nil, ldr: ldr, gelu: last ? gelu : nil, ldg: ldg,
                     geluSlope: last ? geluSlope : nil, factor: last ? factor : nil, ldf: ldf)
    }

    /// The same epilogue for the block of C starting at (row, column).
    @inline(__always)
    func at(row: Int, column: Int) -> GEMMEpilogue {
        GEMMEpilogue(bias: bias.map { $0 + column }, residual: residual.map { $0 + row * ldr + column }, ldr: ldr,
                     gelu: gelu.map { $0 + row * ldg + column }, ldg: ldg, geluSlope: geluSlope.map { $0 + row * ldg + column },
                     factor: factor.map { $0 + row * ldf + column }, ldf: ldf)
    }
}

/// Row `r` of a register tile, 16 values in two vectors: alpha·sum (+ beta·C) (+ bias) (+ residual)
/// (× factor) → C (GELU follows for the whole tile, `vectorGeluTile`). Partial tiles go through a scratch
/// tile and `edgeTile`.
@inline(__always)
func storeRow(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, row r: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
              alpha: Float, beta: Float, epilogue e: GEMMEpilogue) {
    let raw = UnsafeMutableRawPointer(c + r * ldc)
    var l = lo * alpha, h = hi * alpha
    if beta != 0 {
        l = l.addingProduct(raw.loadUnaligned(as: SIMD8<Float>.self), SIMD8(repeating: beta))
        h = h.addingProduct(raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), SIMD8(repeating: beta))
    }
    if let bias = e.bias {
        l = l + load8(bias)
        h = h + load8(bias + 8)
    }
    if let residual = e.residual {
        l = l + load8(residual + r * e.ldr)
        h = h + load8(residual + r * e.ldr + 8)
    }
    if let factor = e.factor {
        l = SIMD8() + l * load8(factor + r * e.ldf)
        h = SIMD8() + h * load8(factor + r * e.ldf + 8)
    }
    raw.storeBytes(of: l, as: SIMD8<Float>.self)
    raw.storeBytes(of: h, toByteOffset: 32, as: SIMD8<Float>.self)
}

/// The epilogue's element-wise tail for one final value v of C at (r, q) of the block: factor, then C,
/// GELU and GELU′ (edge tiles and empty sums, one element at a time, with the tiles' arithmetic).
@inline(__always)
func finishElement(_ value: Float, row r: Int, column q: Int, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue e: GEMMEpilogue) {
    var v = value
    if let factor = e.factor { v = 0 + v * factor[r * e.ldf + q] }
    c[r * ldc + q] = v
    if let g = e.gelu {
        let x = SIMD8<Float>(repeating: v), t = geluTanh(x)
        g[r * e.ldg + q] = gelu(x, tanh: t)[0]
        if let s = e.geluSlope { s[r * e.ldg + q] = geluSlope(x, tanh: t)[0] }
    }
}

extension GEMM {
    /// A partial tile (rows × columns of C) through a 6×16 scratch tile, so the kernel never reads or
    /// writes outside C: C (or, for the first block, the bias with beta 1 — the same sum) in, the kernel's
    /// full tile on the scratch, then residual and GELU element by element on the way back.
    @inline(__always)
    static func edgeTile(rows mr: Int, columns: Int, c cp: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float,
                         epilogue e: GEMMEpilogue, kernel: (UnsafeMutablePointer<Float>, Float) -> Void) {
        var edge = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        withUnsafeMutableBytes(of: &edge) { raw in
            let t = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            var betaHere = beta
            if let bias = e.bias {
                for r in 0..<mr { for q in 0..<columns { t[r * gemmNR + q] = bias[q] } }
                betaHere = 1
            } else if beta != 0 {
                for r in 0..<mr { for q in 0..<columns { t[r * gemmNR + q] = cp[r * ldc + q] } }
            }
            kernel(t, betaHere)
            for r in 0..<mr {
                for q in 0..<columns {
                    var v = t[r * gemmNR + q]
                    if let residual = e.residual { v = v + residual[r * e.ldr + q] }
                    finishElement(v, row: r, column: q, c: cp, ldc: ldc, epilogue: e)
                }
            }
        }
    }
}

extension GEMM {
    /// The epilogue of an empty sum (k = 0 or alpha = 0), after C was scaled by beta.
    static func applyAlone(_ e: GEMMEpilogue, c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var v = c[i * ldc + j]
                if let bias = e.bias { v = v + bias[j] }
                if let residual = e.residual { v = v + residual[i * e.ldr + j] }
                finishElement(v, row: i, column: j, c: c, ldc: ldc, epilogue: e)
            }
        }
    }
}
