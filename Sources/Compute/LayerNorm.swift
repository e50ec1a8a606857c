/// Layer normalisation over the last dimension (eps 1e-5, as PyTorch). Rows are processed in fixed
/// chunks of `rowChunk`, spread over threads; the weight and bias gradients are summed per chunk and then
/// over chunks in order, so every result is independent of the thread count.

/// Rows per work item in row-wise kernels: fixed, so reductions never depend on the thread count.
let rowChunk = 64

/// out (N, C) = (inp − mean) · rstd · weight + bias; saves mean (N) and rstd (N) for the backward pass.
public func layerNormForward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                             inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int,
                             threads: Int = 1) {
    let args = LayerNormArgs(out: out, mean: mean, rstd: rstd, inp: inp, weight: weight, bias: bias, c: c)
    let chunks = (n + rowChunk - 1) / rowChunk
    parallelFor(chunks, threads: n >= 2 * rowChunk ? threads : 1) { chunk in
        args.forward(rows: (chunk * rowChunk)..<min(n, (chunk + 1) * rowChunk))
    }
}

/// dinp (N, C) += ∂L/∂inp; dweight, dbias (C) += their gradients.
public func layerNormBackward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
                              dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int, threads: Int = 1) {
    let chunks = (n + rowChunk - 1) / rowChunk
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: chunks * 2 * c)
    partial.initialize(repeating: 0, count: chunks * 2 * c)
    defer { partial.deallocate() }
    let args = LayerNormArgs(out: dinp, mean: UnsafeMutablePointer(mutating: mean), rstd: UnsafeMutablePointer(mutating: rstd),
                             inp: inp, weight: weight, bias: dout, c: c)
    let partials = UncheckedBox(partial)
    parallelFor(chunks, threads: n >= 2 * rowChunk ? threads : 1) { chunk in
        let dw = partials.value + chunk * 2 * c
        args.backward(rows: (chunk * rowChunk)..<min(n, (chunk + 1) * rowChunk), dweight: dw, dbias: dw + c)
    }
    for chunk in 0..<chunks {
        let dw = partial + chunk * 2 * c, db = dw + c
        for i in 0..<c {
            dweight[i] += dw[i]
            dbias[i] += db[i]
        }
    }
}

/// The pointers of one call, shared by its worker chunks (each chunk touches disjoint rows).
/// In the backward pass `out` is dinp and `bias` is dout.
struct LayerNormArgs: @unchecked Sendable {
    let out: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>
    let rstd: UnsafeMutablePointer<Float>
    let inp: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let c: Int

    func forward(rows: Range<Int>) {
        for r in rows {
            let x = inp + r * c, o = out + r * c
            var m: Float = 0
            for i in 0..<c { m += x[i] }
            m /= Float(c)
            var v: Float = 0
            for i in 0..<c {
                let d = x[i] - m
                v += d * d
            }
            v /= Float(c)
            let s = 1 / (v + 1e-5).squareRoot()
            for i in 0..<c { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
            mean[r] = m
            rstd[r] = s
        }
    }

    func backward(rows: Range<Int>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>) {
        let dout = bias
        for r in rows {
            let x = inp + r * c, g = dout + r * c, dx = out + r * c
            let m = mean[r], s = rstd[r]
            var dnormMean: Float = 0
            var dnormNormMean: Float = 0
            for i in 0..<c {
                let norm = (x[i] - m) * s
                let dnorm = weight[i] * g[i]
                dnormMean += dnorm
                dnormNormMean += dnorm * norm
            }
            dnormMean /= Float(c)
            dnormNormMean /= Float(c)
            for i in 0..<c {
                let norm = (x[i] - m) * s
                let dnorm = weight[i] * g[i]
                dbias[i] += g[i]
                dweight[i] += norm * g[i]
                dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
            }
        }
    }
}
