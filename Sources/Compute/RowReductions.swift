/// Row reductions for the row-wise kernels (layer norm, softmax): eight lanes of partial results, then
/// the lanes in order, then the scalar tail — a fixed order, so the results are deterministic, and
/// eight independent chains instead of one, so a 128-wide row is not bound by the adder's latency.

@inline(__always) func lanes(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// The lanes of `v` summed left to right.
@inline(__always) func laneSum(_ v: SIMD8<Float>) -> Float {
    var total = v[0]
    for i in 1..<8 { total += v[i] }
    return total
}

/// Σ x[i] over n.
@inline(__always) func rowSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(), i = 0
    while i + 8 <= n { acc += lanes(x, i); i += 8 }
    var total = laneSum(acc)
    while i < n { total += x[i]; i += 1 }
    return total
}

/// Σ x[i]·y[i] over n.
@inline(__always) func rowDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(), i = 0
    while i + 8 <= n { acc = acc.addingProduct(lanes(x, i), lanes(y, i)); i += 8 }
    var total = laneSum(acc)
    while i < n { total += x[i] * y[i]; i += 1 }
    return total
}

/// Σ (x[i] − m)² over n.
@inline(__always) func rowSquaredDeviation(_ x: UnsafePointer<Float>, _ n: Int, mean m: Float) -> Float {
    var acc = SIMD8<Float>(), i = 0
    let mv = SIMD8<Float>(repeating: m)
    while i + 8 <= n { let d = lanes(x, i) - mv; acc = acc.addingProduct(d, d); i += 8 }
    var total = laneSum(acc)
    while i < n { let d = x[i] - m; total += d * d; i += 1 }
    return total
}

/// max x[i] over n (n ≥ 1).
@inline(__always) func rowMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var i = 0
    var top = -Float.infinity
    if n >= 8 {
        var acc = lanes(x, 0)
        i = 8
        while i + 8 <= n { let v = lanes(x, i); acc.replace(with: v, where: v .> acc); i += 8 }
        for l in 0..<8 { top = max(top, acc[l]) }
    }
    while i < n { top = max(top, x[i]); i += 1 }
    return top
}
