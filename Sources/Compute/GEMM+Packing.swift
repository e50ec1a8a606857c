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
            // Rows contiguous in k: read six row pointers.
            let r0 = a.base + i0 * a.rs + depth.lowerBound
            for p in 0..<kc {
                out[0] = r0[p]; out[1] = r0[a.rs + p]; out[2] = r0[2 * a.rs + p]
                out[3] = r0[3 * a.rs + p]; out[4] = r0[4 * a.rs + p]; out[5] = r0[5 * a.rs + p]
                out += 6
            }
        } else if mr == gemmMR && a.rs == 1 {
            // Transposed: the six values for one p are contiguous.
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
            for p in depth {
                let src = UnsafeRawPointer(b.base + p * b.rs + j0)
                let dst = UnsafeMutableRawPointer(out)
                dst.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), toByteOffset: 32, as: SIMD8<Float>.self)
                out += 16
            }
        } else if nr == gemmNR && b.rs == 1 {
            // Transposed: each column is contiguous in p; read it once, write it with stride 16.
            let kc = depth.count
            for c in 0..<gemmNR {
                let src = b.base + (j0 + c) * b.cs + depth.lowerBound
                for p in 0..<kc { out[p * 16 + c] = src[p] }
            }
            out += 16 * kc
        } else {
            for p in depth {
                for c in 0..<gemmNR { out[c] = c < nr ? b[p, j0 + c] : 0 }
                out += 16
            }
        }
        j0 += gemmNR
    }
}
