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

    /// One packed B panel (≤ 16 columns) against a block of `rows` rows of op(A): 6-row register tiles,
    /// partial tiles through a scratch tile so the kernel never reads or writes outside C. Full 6-row tiles
    /// read A's rows in place when `direct` is given, else the packed block; a last partial tile always
    /// reads the packed block (its panel index ir/6). Every product, packed on the fly or prepacked, goes
    /// through here; `epilogue` is this depth block's, at `c`.
    @inline(__always)
    static func macroTile(packedA: UnsafePointer<Float>, direct: RowPanel?, packedB: UnsafePointer<Float>, rows: Int, columns: Int,
                          kc: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float, epilogue: GEMMEpilogue) {
        var ir = 0
        while ir < rows {
            let mr = min(gemmMR, rows - ir)
            let ap = PackedPanel(p: packedA + (ir / gemmMR) * gemmMR * kc)
            let cp = c + ir * ldc
            let e = epilogue.at(row: ir, column: 0)
            if let direct, mr == gemmMR {
                let rowPanel = RowPanel(p: direct.p + ir * direct.lda, lda: direct.lda)
                if columns == gemmNR {
                    microKernel6x16(kc: kc, a: rowPanel, b: packedB, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e)
                } else {
                    edgeTile(rows: mr, columns: columns, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e) { t, betaHere in
                        microKernel6x16(kc: kc, a: rowPanel, b: packedB, c: t, ldc: gemmNR, alpha: alpha, beta: betaHere)
                    }
                }
            } else if mr == gemmMR && columns == gemmNR {
                microKernel6x16(kc: kc, a: ap, b: packedB, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e)
            } else {
                edgeTile(rows: mr, columns: columns, c: cp, ldc: ldc, alpha: alpha, beta: beta, epilogue: e) { t, betaHere in
                    microKernel6x16(kc: kc, a: ap, b: packedB, c: t, ldc: gemmNR, alpha: alpha, beta: betaHere)
                }
            }
            ir += gemmMR
        }
    }

    /// A block of op(A) for the micro-kernels: with A read in place (`op(A)` = A, rows contiguous in
    /// depth) only a last partial 6-row panel is packed, at its usual place; otherwise the whole block.
    @inline(__always)
    static func prepareA(_ a: MatrixView, rows: Range<Int>, depth: Range<Int>, into packedA: UnsafeMutablePointer<Float>) -> RowPanel? {
        guard readsARowsInPlace(a) else {
            packA(a, rows: rows, depth: depth, into: packedA)
            return nil
        }
        let full = rows.count / gemmMR * gemmMR
        if full < rows.count {
            packA(a, rows: (rows.lowerBound + full)..<rows.upperBound, depth: depth, into: packedA + full * depth.count)
        }
        return RowPanel(p: a.base + rows.lowerBound * a.rs + depth.lowerBound, lda: a.rs)
    }

    @inline(__always) static func readsARowsInPlace(_ a: MatrixView) -> Bool { a.cs == 1 }
}
