/// An operand packed once for many products: op(B) (K×N) cut into the micro-kernel's 16-column panels,
/// KC-deep block after KC-deep block. A model's weights during generation are multiplied by a few fresh
/// rows at every step; packing them each time cost more than the product. A product against a
/// `PackedMatrix` walks the same KC blocks in the same order with the same micro-kernel as `GEMM.sgemm`,
/// so each C element is bitwise the one `GEMM.sgemm` gives for the same operands.
public final class PackedMatrix: @unchecked Sendable {
    public let k: Int
    public let n: Int
    let panels: Int
    let storage: UnsafeMutablePointer<Float>

    /// Packs op(B), where B is stored row-major with leading dimension `ldb` (`.transposed`: B is N×K,
    /// e.g. a PyTorch-layout [out, in] weight used as x·Wᵀ).
    public init(_ trans: Transpose, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int) {
        precondition(k > 0 && n > 0, "PackedMatrix needs a non-empty operand")
        self.k = k
        self.n = n
        panels = (n + gemmNR - 1) / gemmNR
        // Cache-line aligned, so no vector load of a panel straddles two lines.
        storage = UnsafeMutableRawPointer.allocate(byteCount: panels * gemmNR * k * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: panels * gemmNR * k)
        let view = MatrixView(base: b, rs: trans == .none ? ldb : 1, cs: trans == .none ? 1 : ldb)
        var pc = 0
        while pc < k {
            let kcur = min(GEMM.kc, k - pc)
            packB(view, depth: pc..<(pc + kcur), columns: 0..<n, into: storage + pc * panels * gemmNR)
            pc += kcur
        }
    }

    deinit { storage.deallocate() }

    /// Panel `j` (16 columns) of the KC block starting at depth `pc` with depth `kcur`.
    @inline(__always) func panel(_ j: Int, block pc: Int, depth kcur: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage + pc * panels * gemmNR + j * gemmNR * kcur)
    }
}

extension GEMM {
    /// C (M×N) = alpha·op(A)·B + beta·C with B prepacked, on the calling thread: callers that want
    /// threads split their rows (results per row do not depend on the other rows).
    public static func sgemm(_ transA: Transpose = .none, m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             packed b: PackedMatrix, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                             epilogue: GEMMEpilogue = .none) {
        guard m > 0 else { return }
        let av = MatrixView(base: a, rs: transA == .none ? lda : 1, cs: transA == .none ? 1 : lda)
        let packedA = PackingArena.current.a
        var pc = 0
        while pc < b.k {
            let kcur = min(kc, b.k - pc)
            let betaHere = pc == 0 ? beta : 1
            let stage = epilogue.stage(first: pc == 0, last: pc + kcur == b.k)
            var ic = 0
            while ic < m {
                let mcur = min(mc, m - ic)
                let direct = prepareA(av, rows: ic..<(ic + mcur), depth: pc..<(pc + kcur), into: packedA)
                for j in 0..<b.panels {
                    macroTile(packedA: packedA, direct: direct, packedB: b.panel(j, block: pc, depth: kcur), rows: mcur,
                              columns: min(gemmNR, b.n - j * gemmNR), kc: kcur,
                              c: c + ic * ldc + j * gemmNR, ldc: ldc, alpha: alpha, beta: betaHere,
                              epilogue: stage.at(row: ic, column: j * gemmNR))
                }
                ic += mcur
            }
            pc += kcur
        }
    }

    /// One packed B panel (≤ 16 columns) against a block of `rows` rows of op(A): 6-row register tiles and
    /// one shorter tile for the remainder, partial-width tiles through a scratch tile so the kernel never
    /// reads or writes outside C. Tiles read op(A) in place when `direct` is given, else the packed block
    /// (panel index ir/6). Every product, packed on the fly or prepacked, goes through here; `epilogue` is
    /// this depth block's, at `c`.
    @inline(__always)
    static func macroTile(packedA: UnsafePointer<Float>, direct: InPlacePanel?, packedB: UnsafePointer<Float>, rows: Int, columns: Int,
                          kc: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float, epilogue: GEMMEpilogue) {
        var ir = 0
        while ir < rows {
            let cp = c + ir * ldc
            let e = epilogue.at(row: ir, column: 0)
            if let direct {
                tile(rows: min(gemmMR, rows - ir), a: direct.down(ir), b: packedB,
                     columns: columns, kc: kc, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e)
            } else {
                tile(rows: min(gemmMR, rows - ir), a: PackedPanel(p: packedA + (ir / gemmMR) * gemmMR * kc), b: packedB,
                     columns: columns, kc: kc, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e)
            }
            ir += gemmMR
        }
    }

    /// One register tile of `rows` ≤ 6 rows, through the kernel specialised for that height.
    @inline(__always)
    static func tile<A: APanel>(rows: Int, a: A, b: UnsafePointer<Float>, columns: Int, kc: Int, c: UnsafeMutablePointer<Float>,
                                ldc: Int, alpha: Float, beta: Float, epilogue: GEMMEpilogue) {
        switch rows {
        case 6: tile(Rows6.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        case 5: tile(Rows5.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        case 4: tile(Rows4.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        case 3: tile(Rows3.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        case 2: tile(Rows2.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        default: tile(Rows1.self, a: a, b: b, columns: columns, kc: kc, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        }
    }

    @inline(__always)
    static func tile<R: TileHeight, A: APanel>(_ height: R.Type, a: A, b: UnsafePointer<Float>, columns: Int, kc: Int,
                                               c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float,
                                               epilogue: GEMMEpilogue) {
        if columns == gemmNR {
            microKernel(height, kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue)
        } else {
            edgeTile(rows: R.rows, columns: columns, c: c, ldc: ldc, alpha: alpha, beta: beta, epilogue: epilogue) { t, betaHere in
                microKernel(height, kc: kc, a: a, b: b, c: t, ldc: gemmNR, alpha: alpha, beta: betaHere)
            }
        }
    }

    /// A block of op(A) for the micro-kernels: nothing to do when op(A) is read in place (a short last
    /// tile reads only its own rows); otherwise the block is packed.
    @inline(__always)
    static func prepareA(_ a: MatrixView, rows: Range<Int>, depth: Range<Int>, into packedA: UnsafeMutablePointer<Float>) -> InPlacePanel? {
        guard readsAInPlace(a) else {
            packA(a, rows: rows, depth: depth, into: packedA)
            return nil
        }
        return InPlacePanel(p: a.base + rows.lowerBound * a.rs + depth.lowerBound * a.cs, rs: a.rs, ds: a.cs)
    }

    /// A's rows (op(A) = A) are read in place; its columns (op(A) = Aᵀ) are packed: read in place, each
    /// depth step of a tile touches its own cache line, and that measured no faster (256×256×4096 TN on
    /// one thread 97.6 GFLOP/s either way; 128×512×4608 TN on two threads 141–172 against 163–174).
    @inline(__always) static func readsAInPlace(_ a: MatrixView) -> Bool { a.cs == 1 }
}
