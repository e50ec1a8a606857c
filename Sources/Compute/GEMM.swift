import Dispatch

/// SGEMM: C = alpha·op(A)·op(B) + beta·C, row-major, any sizes, BLIS-style.
///
/// Loops (outer to inner): columns of C in blocks of NC, depth in blocks of KC (B block packed once),
/// rows in blocks of MC (A block packed), then 16-column and 6-row register tiles (micro-kernel).
/// Blocking for this CPU (AMD EPYC, 32 KiB L1d and 512 KiB L2 per core, 32 MiB shared L3):
/// - KC = 256: one packed B micro-panel (256×16×4 B = 16 KiB) plus one A micro-panel (6 KiB) stay in L1;
/// - MC = 144: the packed A block (144×256×4 B = 144 KiB) stays in L2 beside the streaming B panels;
/// - NC = 2048: the packed B block (2 MiB) stays in L3.
/// Threads split C into disjoint row (or, for short wide products, column) ranges, each computed with
/// the same KC-ordered reduction, so the result is bitwise identical for any thread count.
public enum GEMM {
    static let kc = 256
    static let mc = 144
    static let nc = 2048

    /// Defaults to the machine's core count; set once at start-up by the program.
    nonisolated(unsafe) public static var defaultThreads = 1

    public static func sgemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int? = nil) {
        guard m > 0, n > 0 else { return }
        if k == 0 || alpha == 0 {
            scale(c, m: m, n: n, ldc: ldc, beta: beta)
            return
        }
        let av = MatrixView(base: a, rs: transA == .none ? lda : 1, cs: transA == .none ? 1 : lda)
        let bv = MatrixView(base: b, rs: transB == .none ? ldb : 1, cs: transB == .none ? 1 : ldb)
        let work = m * n * k
        let t = max(1, min(threads ?? defaultThreads, work < 96 * 96 * 96 ? 1 : 8))
        if t == 1 {
            block(av, bv, rows: 0..<m, columns: 0..<n, k: k, alpha: alpha, beta: beta, c: c, ldc: ldc)
            return
        }
        // Split the longer side into t ranges aligned to the register tile.
        let splitRows = m >= n || n < t * gemmNR
        let length = splitRows ? m : n, unit = splitRows ? gemmMR : gemmNR
        let tiles = (length + unit - 1) / unit
        let parts = min(t, tiles)
        let shared = SendablePointers(a: av, b: bv, c: c)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = min(length, (tiles * part / parts) * unit), hi = min(length, (tiles * (part + 1) / parts) * unit)
            guard lo < hi else { return }
            block(shared.a, shared.b, rows: splitRows ? lo..<hi : 0..<m, columns: splitRows ? 0..<n : lo..<hi,
                  k: k, alpha: alpha, beta: beta, c: shared.c, ldc: ldc)
        }
    }

    /// One thread's share: C[rows, columns].
    static func block(_ a: MatrixView, _ b: MatrixView, rows: Range<Int>, columns: Range<Int>, k: Int,
                      alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let arena = PackingArena.current
        let packedA = arena.a, packedB = arena.b
        var edge = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let ncur = min(nc, columns.upperBound - jc)
            var pc = 0
            while pc < k {
                let kcur = min(kc, k - pc)
                let betaHere = pc == 0 ? beta : 1
                packB(b, depth: pc..<(pc + kcur), columns: jc..<(jc + ncur), into: packedB)
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let mcur = min(mc, rows.upperBound - ic)
                    packA(a, rows: ic..<(ic + mcur), depth: pc..<(pc + kcur), into: packedA)
                    var jr = 0
                    while jr < ncur {
                        let nr = min(gemmNR, ncur - jr)
                        let bp = packedB + (jr / gemmNR) * gemmNR * kcur
                        var ir = 0
                        while ir < mcur {
                            let mr = min(gemmMR, mcur - ir)
                            let ap = packedA + (ir / gemmMR) * gemmMR * kcur
                            let cp = c + (ic + ir) * ldc + jc + jr
                            if mr == gemmMR && nr == gemmNR {
                                microKernel6x16(kc: kcur, a: ap, b: bp, c: cp, ldc: ldc, alpha: alpha, beta: betaHere)
                            } else {
                                withUnsafeMutableBytes(of: &edge) { raw in
                                    let t = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                                    for r in 0..<mr { for q in 0..<nr { t[r * gemmNR + q] = cp[r * ldc + q] } }
                                    microKernel6x16(kc: kcur, a: ap, b: bp, c: t, ldc: gemmNR, alpha: alpha, beta: betaHere)
                                    for r in 0..<mr { for q in 0..<nr { cp[r * ldc + q] = t[r * gemmNR + q] } }
                                }
                            }
                            ir += gemmMR
                        }
                        jr += gemmNR
                    }
                    ic += mcur
                }
                pc += kcur
            }
            jc += ncur
        }
    }

    static func scale(_ c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
        for i in 0..<m {
            for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
        }
    }
}

/// Raw pointers handed to worker threads; each thread writes a disjoint part of C.
struct SendablePointers: @unchecked Sendable {
    let a: MatrixView
    let b: MatrixView
    let c: UnsafeMutablePointer<Float>
}
