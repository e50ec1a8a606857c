/// Token embedding lookup plus learned positions.

/// out (N, C) = wte[tokens[i]] + wpe[positions[i]]
public func embeddingForward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, positions: UnsafePointer<Int32>,
                             wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, n: Int, c: Int) {
    for i in 0..<n {
        let o = out + i * c, e = wte + Int(tokens[i]) * c, p = wpe + Int(positions[i]) * c
        for j in 0..<c { o[j] = e[j] + p[j] }
    }
}

/// dwte, dwpe += scattered dout (N, C), in index order (deterministic; no atomics).
public func embeddingBackward(dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                              tokens: UnsafePointer<Int32>, positions: UnsafePointer<Int32>, n: Int, c: Int) {
    for i in 0..<n {
        let g = dout + i * c, e = dwte + Int(tokens[i]) * c, p = dwpe + Int(positions[i]) * c
        for j in 0..<c { e[j] += g[j]; p[j] += g[j] }
    }
}

/// out (N) = a + b; the residual connection (its backward pass is the identity on both inputs).
public func residualForward(out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = a[i] + b[i] }
}
