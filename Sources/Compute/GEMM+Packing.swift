/// Packing copies a block of op(A) or op(B) into the order the micro-kernel streams it, padding
/// partial panels with zeros so the kernel never branches on edges.

/// op(A)[i, p] lives at a[i·rs + p·cs]: (rs, cs) = (lda, 1) as stored, (1, lda) transposed.
struct MatrixView {
    let base: UnsafePointer<Float>
    let rs: Int
    let cs: Int
    @inline(__always) subscript(i: Int, p: Int) -> Float { base[i * rs + p * cs] }
}

/// A block of mc×kc into panels of 6 rows: panel r holds, for each p, the 6 values op(A)[r·6 + 0…5, p].
@inline(__always)
func packA(_ a: MatrixView, rows: Range<Int>, depth: Range<Int>, into buffer: UnsafeMutablePointer<Float>) {
    let kc = depth.count
    var out = buffer
    var i0 = rows.lowerBound
    while i0 < rows.upperBound {
        let mr = min(gemmMR, rows.upperBound - i0)
        if mr == gemmMR && a.cs == 1 {
            // Rows contiguous in k: 8 k-steps of the six rows at a time, transposed in registers. Each
            // 8-wide store writes two floats past its 6, which the next store overwrites (see buffer slack).
            let r0 = a.base + i0 * a.rs + depth.lowerBound
            let z = SIMD8<Float>()
            var p = 0
            while p + 8 <= kc {
                let t = transpose8x8(load8(r0 + p), load8(r0 + a.rs + p), load8(r0 + 2 * a.rs + p), load8(r0 + 3 * a.rs + p),
                                     load8(r0 + 4 * a.rs + p), load8(r0 + 5 * a.rs + p), z, z)
                store8(t.0, out); store8(t.1, out + 6); store8(t.2, out + 12); store8(t.3, out + 18)
                store8(t.4, out + 24); store8(t.5, out + 30); store8(t.6, out + 36); store8(t.7, out + 42)
                out += 48
                p += 8
            }
            while p < kc {
                out[0] = r0[p]; out[1] = r0[a.rs + p]; out[2] = r0[2 * a.rs + p]
                out[3] = r0[3 * a.rs + p]; out[4] = r0[4 * a.rs + p]; out[5] = r0[5 * a.rs + p]
                out += 6
                p += 1
            }
        } else if mr == gemmMR && a.rs == 1 && i0 + 8 <= rows.upperBound {
            // Transposed: the six values for one p are contiguous; one 8-wide load and store (two spare
            // floats overwritten by the next store) instead of six scalar copies.
            for p in depth {
                store8(load8(a.base + p * a.cs + i0), out)
                out += 6
            }
        } else if mr == gemmMR && a.rs == 1 {
            for p in depth {
                let src = a.base + p * a.cs + i0
                out[0] = src[0]; out[1] = src[1]; out[2] = src[2]; out[3] = src[3]; out[4] = src[4]; out[5] = src[5]
                out += 6
            }
        } else {
            for p in depth {
                for r in 0..<gemmMR { out[r] = r < mr ? a[i0 + r, p] : 0 }
                out += 6
            }
        }
        i0 += gemmMR
    }
}

/// A block of kc×nc into panels of 16 columns: panel j holds, for each p, op(B)[p, j·16 + 0…15].
@inline(__always)
func packB(_ b: MatrixView, depth: Range<Int>, columns: Range<Int>, into buffer: UnsafeMutablePointer<Float>) {
    var out = buffer
    var j0 = columns.lowerBound
    while j0 < columns.upperBound {
        let nr = min(gemmNR, columns.upperBound - j0)
        if nr == gemmNR && b.cs == 1 {
            // Four panels at once, row by row, reading 256-byte runs: one panel at a time reads 64 bytes
            // per row, a line per load that the hardware prefetcher follows poorly, worst with rows a page
            // apart (256×1024×256: +6%) and when B comes cold from memory, as the activations of a
            // training step's weight gradients do (train step +2–3%; cached 128-column Bs: the same).
            let kc = depth.count
            let group = min(4, (columns.upperBound - j0) / gemmNR)
            var src = b.base + depth.lowerBound * b.rs + j0
            var dst = out
            for _ in 0..<kc {
                for g in 0..<group {
                    store8(load8(src + 16 * g), dst + 16 * kc * g)
                    store8(load8(src + 16 * g + 8), dst + 16 * kc * g + 8)
                }
                src += b.rs
                dst += 16
            }
            out += 16 * kc * group
            j0 += gemmNR * group
            continue
        } else if nr == gemmNR && b.rs == 1 {
            // Transposed: each column is contiguous in p; 8 p-steps of the 16 columns at a time, as two
            // 8×8 transposes in registers.
            let kc = depth.count
            let c0 = b.base + j0 * b.cs + depth.lowerBound, cs = b.cs
            var p = 0
            while p + 8 <= kc {
                let lo = transpose8x8(load8(c0 + p), load8(c0 + cs + p), load8(c0 + 2 * cs + p), load8(c0 + 3 * cs + p),
                                      load8(c0 + 4 * cs + p), load8(c0 + 5 * cs + p), load8(c0 + 6 * cs + p), load8(c0 + 7 * cs + p))
                let h = c0 + 8 * cs + p
                let hi = transpose8x8(load8(h), load8(h + cs), load8(h + 2 * cs), load8(h + 3 * cs),
                                      load8(h + 4 * cs), load8(h + 5 * cs), load8(h + 6 * cs), load8(h + 7 * cs))
                store8(lo.0, out); store8(hi.0, out + 8); store8(lo.1, out + 16); store8(hi.1, out + 24)
                store8(lo.2, out + 32); store8(hi.2, out + 40); store8(lo.3, out + 48); store8(hi.3, out + 56)
                store8(lo.4, out + 64); store8(hi.4, out + 72); store8(lo.5, out + 80); store8(hi.5, out + 88)
                store8(lo.6, out + 96); store8(hi.6, out + 104); store8(lo.7, out + 112); store8(hi.7, out + 120)
                out += 128
                p += 8
            }
            while p < kc {
                for c in 0..<gemmNR { out[c] = c0[c * cs + p] }
                out += 16
                p += 1
            }
        } else {
            for p in depth {
                for c in 0..<gemmNR { out[c] = c < nr ? b[p, j0 + c] : 0 }
                out += 16
            }
        }
        j0 += gemmNR
    }
}

@inline(__always) func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
@inline(__always) func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Rows v0…v7 in, columns out. Each round is one "unzip" of the 64 values read row by row (even-indexed
/// values, then odd-indexed ones), which rotates the 6-bit index (row, column) right by one bit; three
/// rounds turn index 8·row + column into 8·column + row.
@inline(__always)
func transpose8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                  _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    var (a0, a1, a2, a3, a4, a5, a6, a7) = (v0, v1, v2, v3, v4, v5, v6, v7)
    for _ in 0..<3 {
        (a0, a1, a2, a3, a4, a5, a6, a7) = (
            SIMD8(lowHalf: a0.evenHalf, highHalf: a1.evenHalf), SIMD8(lowHalf: a2.evenHalf, highHalf: a3.evenHalf),
            SIMD8(lowHalf: a4.evenHalf, highHalf: a5.evenHalf), SIMD8(lowHalf: a6.evenHalf, highHalf: a7.evenHalf),
            SIMD8(lowHalf: a0.oddHalf, highHalf: a1.oddHalf), SIMD8(lowHalf: a2.oddHalf, highHalf: a3.oddHalf),
            SIMD8(lowHalf: a4.oddHalf, highHalf: a5.oddHalf), SIMD8(lowHalf: a6.oddHalf, highHalf: a7.oddHalf))
    }
    return (a0, a1, a2, a3, a4, a5, a6, a7)
}
