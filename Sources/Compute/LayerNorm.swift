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
        let width = Float(c)
        for r in rows {
            let x = inp + r * c, o = out + r * c
            let m = rowSum(x, c) / width
            let v = rowSquaredDeviation(x, c, mean: m) / width
            let s = 1 / (v + 1e-5).squareRoot()
            var i = 0
            let mv = SIMD8<Float>(repeating: m), sv = SIMD8<Float>(repeating: s)
            while i + 8 <= c {
                store((lanes(x, i) - mv) * sv * lanes(weight, i) + lanes(bias, i), o, i)
                i += 8
            }
            while i < c { o[i] = (x[i] - m) * s * weight[i] + bias[i]; i += 1 }
            mean[r] = m
            rstd[r] = s
        }
    }

    func backward(rows: Range<Int>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>) {
        let dout = bias, width = Float(c)
        for r in rows {
            let x = inp + r * c, g = dout + r * c, dx = out + r * c
            let m = mean[r], s = rstd[r]
            let mv = SIMD8<Float>(repeating: m), sv = SIMD8<Float>(repeating: s)
            // Σ dnorm and Σ dnorm·norm, with dnorm = weight·g and norm = (x − m)·s.
            var sumD = SIMD8<Float>(), sumDN = SIMD8<Float>()
            var i = 0
            while i + 8 <= c {
                let dnorm = lanes(weight, i) * lanes(g, i), norm = (lanes(x, i) - mv) * sv
                sumD += dnorm
                sumDN = sumDN.addingProduct(dnorm, norm)
                i += 8
            }
            var dnormMean = laneSum(sumD), dnormNormMean = laneSum(sumDN)
            for j in i..<c {
                let norm = (x[j] - m) * s, dnorm = weight[j] * g[j]
                dnormMean += dnorm
                dnormNormMean += dnorm * norm
            }
            dnormMean /= width
            dnormNormMean /= width
            let dm = SIMD8<Float>(repeating: dnormMean), dnm = SIMD8<Float>(repeating: dnormNormMean)
            i = 0
            while i + 8 <= c {
                let gv = lanes(g, i), norm = (lanes(x, i) - mv) * sv, dnorm = lanes(weight, i) * gv
                store(lanes(dbias, i) + gv, dbias, i)
                store(lanes(dweight, i) + norm * gv, dweight, i)
                store(lanes(dx, i) + (dnorm - dm - norm * dnm) * sv, dx, i)
                i += 8
            }
            while i < c {
                let norm = (x[i] - m) * s, dnorm = weight[i] * g[i]
                dbias[i] += g[i]
                dweight[i] += norm * g[i]
                dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
                i += 1
            }
        }
    }
}
