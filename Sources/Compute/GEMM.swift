/// SGEMM: C = alpha·op(A)·op(B) + beta·C, row-major, any sizes, BLIS-style.
///
/// Loops (outer to inner): columns of C in blocks of NC, depth in blocks of KC (B block packed once),
/// rows in blocks of MC (A block packed), then 16-column and 6-row register tiles (micro-kernel).
/// Blocking for this CPU (AMD EPYC, 32 KiB L1d and 1 MiB L2 per core, 32 MiB shared L3):
/// - KC = 256: one packed B micro-panel (256×16×4 B = 16 KiB) plus one A micro-panel (6 KiB) stay in L1;
/// - MC = 144: the packed A block (144×256×4 B = 144 KiB) stays in L2 beside the streaming B panels;
/// - NC = 2048: the packed B block (2 MiB) stays in L3.
///
/// Threads (see GEMM+Threads.swift) split C into disjoint row or column ranges; each C element is still
/// reduced by one thread in the same KC-ordered sequence, so the result is bitwise identical for any
/// thread count.
public enum GEMM {
    static let kc = 256
    static let mc = 144
    static let nc = 2048

    public static func sgemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int,
                             epilogue: GEMMEpilogue = .none) {
        guard m > 0, n > 0 else { return }
        precondition(epilogue.bias == nil || beta == 0, "a GEMM bias replaces beta·C; pass beta 0")
        precondition(epilogue.geluSlope == nil || epilogue.gelu != nil, "a GEMM's GELU′ is written beside its GELU; pass gelu too")
        if k == 0 || alpha == 0 {
            scale(c, m: m, n: n, ldc: ldc, beta: beta)
            if !epilogue.isEmpty {
                applyAlone(epilogue, c: c, m: m, n: n, ldc: ldc)
            }
            return
        }
        let problem = Problem(a: MatrixView(base: a, rs: transA == .none ? lda : 1, cs: transA == .none ? 1 : lda),
                              b: MatrixView(base: b, rs: transB == .none ? ldb : 1, cs: transB == .none ? 1 : ldb),
                              c: c, ldc: ldc, m: m, n: n, k: k, alpha: alpha, beta: beta, epilogue: epilogue)
        let t = max(1, min(threads, m * n * k < 96 * 96 * 96 ? 1 : 8))
        if t == 1 {
            problem.block(rows: 0..<m, columns: 0..<n)
        } else {
            problem.parallel(threads: t)
        }
    }

    static func scale(_ c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
        for i in 0..<m {
            for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
        }
    }
}

/// One product's operands; raw pointers handed to worker threads, each writing a disjoint part of C.
struct Problem: @unchecked Sendable {
    let a: MatrixView
    let b: MatrixView
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    let m: Int, n: Int, k: Int
    let alpha: Float, beta: Float
    let epilogue: GEMMEpilogue

    /// C[rows, columns] on the calling thread, packing into its own arena.
    func block(rows: Range<Int>, columns: Range<Int>) {
        let arena = PackingArena.current
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let ncur = min(GEMM.nc, columns.upperBound - jc)
            var pc = 0
            while pc < k {
                let kcur = min(GEMM.kc, k - pc)
                packB(b, depth: pc..<(pc + kcur), columns: jc..<(jc + ncur), into: arena.b)
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let mcur = min(GEMM.mc, rows.upperBound - ic)
                    let direct = GEMM.prepareA(a, rows: ic..<(ic + mcur), depth: pc..<(pc + kcur), into: arena.a)
                    macroKernel(a: arena.a, direct: direct, b: arena.b, rows: ic, mcur, columns: jc, ncur, depth: pc, kcur)
                    ic += mcur
                }
                pc += kcur
            }
            jc += ncur
        }
    }

    /// C[ic..<ic+mcur, jc..<jc+ncur] (+)= packed A block · packed B block, one register tile at a time.
    @inline(__always)
    func macroKernel(a packedA: UnsafePointer<Float>, direct: InPlacePanel?, b packedB: UnsafePointer<Float>, rows ic: Int, _ mcur: Int,
                     columns jc: Int, _ ncur: Int, depth pc: Int, _ kcur: Int) {
        let betaHere = pc == 0 ? beta : 1
        let stage = epilogue.stage(first: pc == 0, last: pc + kcur == k)
        var jr = 0
        while jr < ncur {
            GEMM.macroTile(packedA: packedA, direct: direct, packedB: packedB + (jr / gemmNR) * gemmNR * kcur, rows: mcur,
                           columns: min(gemmNR, ncur - jr), kc: kcur, c: c + ic * ldc + jc + jr, ldc: ldc,
                           alpha: alpha, beta: betaHere, epilogue: stage.at(row: ic, column: jc + jr))
            jr += gemmNR
        }
    }
}
