/// Multi-threaded GEMM on the shared worker pool.
///
/// Row split (the usual case): the threads pack each KC×NC block of op(B) together — thread i packs the
/// i-th share of its 16-column panels into one shared, double-buffered block — meet at a barrier, then
/// each multiplies its own rows of A against the whole block. Double buffering needs one barrier per
/// block: a thread packing block s+1 into the buffer of block s−1 has passed barrier s, which every thread
/// reaches only after finishing block s−1.
/// Without sharing (many small blocks, see `sharesB`) and in a column split (short, wide products), each
/// thread runs the single-threaded loops on its own part of C.
extension Problem {
    func parallel(threads: Int) {
        let arena = PackingArena.current
        let sharedB = (arena.b, arena.b2)
        let barrier = SpinBarrier(parties: threads)
        WorkerPool.shared.run(upTo: threads) { part, parts in
            if parts == 1 {
                block(rows: 0..<m, columns: 0..<n)
            } else if splitsRows(parts: parts) && sharesB(parts: parts) {
                rowShare(part: part, parts: parts, sharedB: sharedB, barrier: barrier)
            } else if splitsRows(parts: parts) {
                let rows = share(part, of: parts, length: m, unit: gemmMR)
                if !rows.isEmpty { block(rows: rows, columns: 0..<n) }
            } else {
                let columns = share(part, of: parts, length: n, unit: gemmNR)
                if !columns.isEmpty { block(rows: 0..<m, columns: columns) }
            }
        }
    }

    /// Rows unless columns give the busiest thread a smaller padded area of C; a column split also makes
    /// every thread pack all of A (≈ 8 tile-area units per row, from timing the packing against the kernel).
    func splitsRows(parts: Int) -> Bool {
        let rowTiles = (m + gemmMR - 1) / gemmMR, columnTiles = (n + gemmNR - 1) / gemmNR
        let rowCost = (rowTiles + parts - 1) / parts * gemmMR * columnTiles * gemmNR
        let columnCost = (columnTiles + parts - 1) / parts * gemmNR * rowTiles * gemmMR + 8 * m
        return rowCost <= columnCost
    }

    /// Whether the threads share packed B blocks, at the price of a barrier per block: yes for one KC slice
    /// (one barrier), or when each thread's share of a block is large (≥ 128 Ki elements of C, ≥ 67 MFLOP).
    /// Otherwise each thread packs all of B itself: on 256×256×4096 TN (16 slices of ~0.16 ms per thread)
    /// both ran ~185 GFLOP/s on a quiet machine, but with a background process on the cores the barriers
    /// cost ~15% (133 vs 152 GFLOP/s, best of 3, interleaved).
    func sharesB(parts: Int) -> Bool {
        k <= GEMM.kc || (m / parts) * min(n, GEMM.nc) >= 128 * 1024
    }

    /// The part-th of `parts` contiguous ranges of 0..<length, cut at multiples of `unit`.
    func share(_ part: Int, of parts: Int, length: Int, unit: Int) -> Range<Int> {
        let tiles = (length + unit - 1) / unit
        return min(length, tiles * part / parts * unit)..<min(length, tiles * (part + 1) / parts * unit)
    }

    func rowShare(part: Int, parts: Int, sharedB: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                  barrier: SpinBarrier) {
        let packedA = PackingArena.current.a
        let rows = share(part, of: parts, length: m, unit: gemmMR)
        var slice = 0
        var jc = 0
        while jc < n {
            let ncur = min(GEMM.nc, n - jc)
            var pc = 0
            while pc < k {
                let kcur = min(GEMM.kc, k - pc)
                let packedB = slice & 1 == 0 ? sharedB.0 : sharedB.1
                let panels = share(part, of: parts, length: ncur, unit: gemmNR)
                if !panels.isEmpty {
                    packB(b, depth: pc..<(pc + kcur), columns: (jc + panels.lowerBound)..<(jc + panels.upperBound),
                          into: packedB + panels.lowerBound * kcur)
                }
                // The first A block does not depend on B: pack it before waiting.
                var ic = rows.lowerBound
                var mcur = min(GEMM.mc, rows.upperBound - ic)
                var direct = mcur > 0 ? GEMM.prepareA(a, rows: ic..<(ic + mcur), depth: pc..<(pc + kcur), into: packedA) : nil
                barrier.wait()
                while ic < rows.upperBound {
                    if ic != rows.lowerBound { direct = GEMM.prepareA(a, rows: ic..<(ic + mcur), depth: pc..<(pc + kcur), into: packedA) }
                    macroKernel(a: packedA, direct: direct, b: packedB, rows: ic, mcur, columns: jc, ncur, depth: pc, kcur)
                    ic += mcur
                    mcur = min(GEMM.mc, rows.upperBound - ic)
                }
                pc += kcur
                slice += 1
            }
            jc += ncur
        }
    }
}
