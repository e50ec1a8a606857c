/// GELU, tanh approximation (PyTorch's `approximate="tanh"`).
private let geluScale: Float = 0.797_884_56  // sqrt(2/π)

/// out (N) = 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
public func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let x = inp[i]
        out[i] = 0.5 * x * (1 + tanhf(geluScale * (x + 0.044715 * x * x * x)))
    }
}

/// dinp (N) += dout · GELU'(inp)
public func geluBackward(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let x = inp[i]
        let u = geluScale * (x + 0.044715 * x * x * x)
        let t = tanhf(u)
        let sech2 = 1 - t * t
        let local = 0.5 * (1 + t) + 0.5 * x * sech2 * geluScale * (1 + 3 * 0.044715 * x * x)
        dinp[i] += dout[i] * local
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
