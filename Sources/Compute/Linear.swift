/// Linear layer y = x·Wᵀ + b, with W stored [out, in] as in PyTorch.

/// out (N, OC) = inp (N, C) · weight (OC, C)ᵀ + bias (OC) [+ residual (N, OC)], and optionally
/// gelu (N, OC) = GELU(out) with geluSlope (N, OC) = GELU′(out) (which may be `out` itself: what the
/// backward pass needs of the pre-activation): the bias, the residual connection and the activation are
/// fused into the product's store (GEMMEpilogue), bitwise equal to the separate passes. `residual` must
/// not overlap `out`.
public func linearForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, n: Int, c: Int, oc: Int, threads: Int,
                          residual: UnsafePointer<Float>? = nil, gelu: UnsafeMutablePointer<Float>? = nil,
                          geluSlope: UnsafeMutablePointer<Float>? = nil) {
    GEMM.sgemm(.none, .transposed, m: n, n: oc, k: c, a: inp, lda: c, b: weight, ldb: c, c: out, ldc: oc, threads: threads,
               epilogue: GEMMEpilogue(bias: bias, residual: residual, ldr: oc, gelu: gelu, ldg: oc, geluSlope: geluSlope))
}

/// dinp (N, C) += dout · weight (`accumulate: false`: dinp = dout · weight, no need to zero it first —
/// bitwise the same as zeroing it and accumulating, since a product's sum is never −0; with `dinpFactor`
/// (N, C), which needs `accumulate: false`, dinp = +0 + (dout · weight)·dinpFactor element by element,
/// as `geluBackward` with that factor as GELU′ would store it);
/// dweight (OC, C) += doutᵀ · inp; dbias (OC) += Σ_rows dout (columns split over the threads, each column
/// summed over the rows in order). `dinp` may be nil when the input needs no gradient.
public func linearBackward(dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
                           dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           n: Int, c: Int, oc: Int, threads: Int, accumulate: Bool = true, dinpFactor: UnsafePointer<Float>? = nil) {
    precondition(dinpFactor == nil || !accumulate, "dinpFactor scales a fresh dinp; pass accumulate: false")
    if let dinp {
        GEMM.sgemm(.none, .none, m: n, n: c, k: oc, a: dout, lda: oc, b: weight, ldb: c, beta: accumulate ? 1 : 0, c: dinp, ldc: c,
                   threads: threads, epilogue: GEMMEpilogue(factor: dinpFactor, ldf: c))
    }
    GEMM.sgemm(.transposed, .none, m: oc, n: c, k: n, a: dout, lda: oc, b: inp, ldb: c, beta: 1, c: dweight, ldc: c, threads: threads)
    if let dbias {
        let width = 32, chunks = (oc + width - 1) / width
        let box = UncheckedBox((dbias, dout))
        parallelFor(chunks, threads: n * oc >= 1 << 16 ? threads : 1) { chunk in
            let (dbias, dout) = box.value
            let columns = (chunk * width)..<min(oc, (chunk + 1) * width)
            for r in 0..<n {
                let row = dout + r * oc
                for o in columns { dbias[o] += row[o] }
            }
        }
    }
}

/// out (N, OC) = inp (N, C) · Wᵀ + bias [+ residual], and optionally gelu = GELU(out) and geluSlope =
/// GELU′(out), with W prepacked as `PackedMatrix(.transposed, k: C, n: OC, …)`, on the calling thread;
/// bitwise equal to the unpacked form.
public func linearForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: PackedMatrix,
                          bias: UnsafePointer<Float>?, n: Int, residual: UnsafePointer<Float>? = nil,
                          gelu: UnsafeMutablePointer<Float>? = nil, geluSlope: UnsafeMutablePointer<Float>? = nil) {
    let oc = weight.n
    GEMM.sgemm(m: n, a: inp, lda: weight.k, packed: weight, c: out, ldc: oc,
               epilogue: GEMMEpilogue(bias: bias, residual: residual, ldr: oc, gelu: gelu, ldg: oc, geluSlope: geluSlope))
}
