/// GELU, tanh approximation (PyTorch's `approximate="tanh"`); the formulas are VectorMath's `geluTanh`,
/// `gelu(_:tanh:)` and `geluSlope(_:tanh:)`, which the 16-lane kernels of WideMath share.
import VectorMath

/// 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) for eight lanes; every GELU value (passes, fused GEMM
/// epilogues, array tails through lane 0) comes from here or WideMath, so all paths agree bit for bit.
@inline(__always)
func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> { gelu(x, tanh: geluTanh(x)) }

/// out (N) = GELU(inp)
func geluForwardSerial(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        store8(gelu(load8(inp + i)), out + i)
        i += 8
    }
    while i < count {
        out[i] = gelu(SIMD8(repeating: inp[i]))[0]
        i += 1
    }
}

/// dinp (N) += dout · GELU'(inp)
/// With `accumulate` false the prior is a literal +0 rather than what dinp held: bitwise what zeroing
/// dinp first would give (+0 + −0 is +0), without the pass that zeroes it.
func geluBackwardSerial(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int,
                        accumulate: Bool) {
    var i = 0
    let raw = UnsafeRawPointer(inp), rawOut = UnsafeRawPointer(dout), rawIn = UnsafeMutableRawPointer(dinp)
    while i + 8 <= count {
        let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        let local = geluSlope(x, tanh: geluTanh(x))
        let g = rawOut.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        let prior = accumulate ? rawIn.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) : SIMD8<Float>()
        rawIn.storeBytes(of: prior + g * local, toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        let x = SIMD8<Float>(repeating: inp[i])
        let local = geluSlope(x, tanh: geluTanh(x))[0]
        dinp[i] = (accumulate ? dinp[i] : 0) + dout[i] * local
        i += 1
    }
}

/// Element-wise work is cut into fixed chunks (a multiple of 8, independent of the thread count), so
/// every element takes the same vector or tail path whatever `threads` is.
let elementChunk = 16_384

/// out (N) = GELU(inp), over `threads` threads.
public func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int, threads: Int = 1) {
    let chunks = (count + elementChunk - 1) / elementChunk
    let box = UncheckedBox((out, inp))
    parallelFor(chunks, threads: threads) { c in
        let lo = c * elementChunk, n = min(elementChunk, count - lo)
        geluForwardSerial(out: box.value.0 + lo, inp: box.value.1 + lo, count: n)
    }
}

/// dinp (N) += dout · GELU'(inp) (`accumulate: false`: dinp = +0 + dout · GELU'(inp)), over `threads` threads.
public func geluBackward(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int,
                         threads: Int = 1, accumulate: Bool = true) {
    let chunks = (count + elementChunk - 1) / elementChunk
    let box = UncheckedBox((dinp, inp, dout))
    parallelFor(chunks, threads: threads) { c in
        let lo = c * elementChunk, n = min(elementChunk, count - lo)
        geluBackwardSerial(dinp: box.value.0 + lo, inp: box.value.1 + lo, dout: box.value.2 + lo, count: n, accumulate: accumulate)
    }
}
