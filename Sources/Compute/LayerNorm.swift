/// Layer normalisation over the last dimension (eps 1e-5, as PyTorch).

/// out (N, C) = (inp − mean) · rstd · weight + bias; saves mean (N) and rstd (N) for the backward pass.
public func layerNormForward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                             inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int) {
    for r in 0..<n {
        let x = inp + r * c
        var m: Float = 0
        for i in 0..<c { m += x[i] }
        m /= Float(c)
        var v: Float = 0
        for i in 0..<c { let d = x[i] - m; v += d * d }
        v /= Float(c)
        let s = 1 / (v + 1e-5).squareRoot()
        let o = out + r * c
        for i in 0..<c { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
        mean[r] = m
        rstd[r] = s
    }
}

/// dinp (N, C) += ∂L/∂inp; dweight, dbias (C) += their gradients.
public func layerNormBackward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
                              dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int) {
    for r in 0..<n {
        let x = inp + r * c, g = dout + r * c, dx = dinp + r * c
        let m = mean[r], s = rstd[r]
        var dnormMean: Float = 0, dnormNormMean: Float = 0
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
