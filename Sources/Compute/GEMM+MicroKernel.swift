import CPrefetch
import VectorMath
import WideMath

/// Register tile: MR = 6 rows (or fewer, see TileHeight) × NR = 16 columns of C in 12 SIMD8<Float> accumulators (12 of the 16
/// ymm registers), two registers for the B row and one for the broadcast A element: 15 live, no spills.
/// Per k step: 2 vector loads of packed B, 6 broadcasts of packed A, 12 `vfmadd231ps`.
let gemmMR = 6
let gemmNR = 16

/// Where the micro-kernel reads its six A values per depth step: a packed panel (`PackedPanel`, the six
/// values of one step side by side) or op(A) in place (`InPlacePanel`: A's rows when op(A) = A, its
/// columns when op(A) = Aᵀ), which skips packing A. The kernel is specialised for each, and both feed it
/// the same values in the same order, so the results are bitwise equal.
protocol APanel {
    func value(row r: Int) -> Float
    mutating func step()
}

struct PackedPanel: APanel {
    var p: UnsafePointer<Float>
    @inline(__always) func value(row r: Int) -> Float { p[r] }
    @inline(__always) mutating func step() { p += gemmMR }
}

/// op(A)[r, k] at p[r·rs + k·ds].
struct InPlacePanel: APanel {
    var p: UnsafePointer<Float>
    let rs: Int, ds: Int
    @inline(__always) func value(row r: Int) -> Float { p[r * rs] }
    @inline(__always) mutating func step() { p += ds }
    /// The panel `rows` rows further down.
    @inline(__always) func down(_ rows: Int) -> InPlacePanel { InPlacePanel(p: p + rows * rs, rs: rs, ds: ds) }
}

/// How many rows of a register tile the kernel computes: six, or the remainder of a block whose rows are
/// not a multiple of six (a 16-row decoding step is 6 + 6 + 4, not three 6-row tiles with a third of one
/// wasted). A specialised kernel's row tests fold away; rows past `rows` are neither read nor written.
protocol TileHeight { static var rows: Int { get } }
enum Rows6: TileHeight { static var rows: Int { 6 } }
enum Rows5: TileHeight { static var rows: Int { 5 } }
enum Rows4: TileHeight { static var rows: Int { 4 } }
enum Rows3: TileHeight { static var rows: Int { 3 } }
enum Rows2: TileHeight { static var rows: Int { 2 } }
enum Rows1: TileHeight { static var rows: Int { 1 } }

/// C[0..<R, 0..<16] = alpha · Σ_k a(r, k) · b[k·16 + c] + beta · C (beta == 0 never reads C), then the
/// epilogue (GEMM+Epilogue.swift). `b` is a packed panel (see GEMM+Packing.swift); `c` has leading
/// dimension ldc. Each element's multiply-adds run in the same order whatever R is.
@inline(__always)
func microKernel<R: TileHeight, A: APanel>(_: R.Type, kc: Int, a: A, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                           ldc: Int, alpha: Float, beta: Float, epilogue: GEMMEpilogue = .none) {
    let rows = R.rows
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    for r in 0..<rows { jf_prefetch_write(c + r * ldc); jf_prefetch_write(c + r * ldc + 15) }
    var pa = a, pb = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = pb.loadUnaligned(as: SIMD8<Float>.self)
        let b1 = pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var x = SIMD8<Float>(repeating: pa.value(row: 0))
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        if rows > 1 {
            x = SIMD8<Float>(repeating: pa.value(row: 1))
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        }
        if rows > 2 {
            x = SIMD8<Float>(repeating: pa.value(row: 2))
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        }
        if rows > 3 {
            x = SIMD8<Float>(repeating: pa.value(row: 3))
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        }
        if rows > 4 {
            x = SIMD8<Float>(repeating: pa.value(row: 4))
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        }
        if rows > 5 {
            x = SIMD8<Float>(repeating: pa.value(row: 5))
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        }
        pa.step()
        pb += 64
    }
    storeRow(c00, c01, row: 0, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
    if rows > 1 { storeRow(c10, c11, row: 1, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) }
    if rows > 2 { storeRow(c20, c21, row: 2, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) }
    if rows > 3 { storeRow(c30, c31, row: 3, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) }
    if rows > 4 { storeRow(c40, c41, row: 4, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) }
    if rows > 5 { storeRow(c50, c51, row: 5, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) }
    if let g = epilogue.gelu {
        if CPUFeatures.avx512 {
            WideMath.geluTile(rows: rows, c: c, ldc: ldc, gelu: g, ldg: epilogue.ldg, slope: epilogue.geluSlope)
        } else {
            vectorGeluTile(SIMD8<Float>.self, rows: rows, c: c, ldc: ldc, gelu: g, ldg: epilogue.ldg, slope: epilogue.geluSlope)
        }
    }
}
