import Compute
import Testing

@Suite struct GEMMEpilogueTests {
    /// The passes a fused epilogue replaces: C prefilled with the bias and beta 1, then `+= residual`,
    /// then `geluForward` into a second buffer.
    static func unfused(m: Int, n: Int, k: Int, a: [Float], w: [Float], bias: [Float], residual: [Float]) -> (out: [Float], gelu: [Float]) {
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { out[i * n + j] = bias[j] } }
        GEMM.sgemm(.none, .transposed, m: m, n: n, k: k, a: a, lda: k, b: w, ldb: k, beta: 1, c: &out, ldc: n, threads: 1)
        for i in 0..<(m * n) { out[i] += residual[i] }
        var g = [Float](repeating: 0, count: m * n)
        geluForward(out: &g, inp: out, count: m * n)
        return (out, g)
    }

    /// Edge tiles (rows not a multiple of 6, columns not of 16), two and three depth blocks (the bias
    /// belongs to the first, residual and GELU to the last), both thread splits and a prepacked weight.
    @Test(arguments: [(1, 1, 1), (7, 17, 3), (13, 128, 128), (97, 40, 300), (150, 384, 600), (8, 700, 64)])
    func biasResidualAndGeluFusedAreBitwiseTheSeparatePasses(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = matrix(m * k, seed: 11), w = matrix(n * k, seed: 12).map { $0 * 3 }
        let bias = matrix(n, seed: 13), residual = matrix(m * n, seed: 14)
        let expected = Self.unfused(m: m, n: n, k: k, a: a, w: w, bias: bias, residual: residual)
        for threads in [1, 2] {
            var out = [Float](repeating: .nan, count: m * n), g = [Float](repeating: .nan, count: m * n)
            bias.withUnsafeBufferPointer { pb in residual.withUnsafeBufferPointer { pr in g.withUnsafeMutableBufferPointer { pg in
                linearForward(out: &out, inp: a, weight: w, bias: pb.baseAddress!, n: m, c: k, oc: n, threads: threads,
                              residual: pr.baseAddress!, gelu: pg.baseAddress!)
            } } }
            #expect(out.map(\.bitPattern) == expected.out.map(\.bitPattern), "\(m)×\(n)×\(k) on \(threads) threads")
            #expect(g.map(\.bitPattern) == expected.gelu.map(\.bitPattern), "GELU \(m)×\(n)×\(k) on \(threads) threads")
        }
        let packed = PackedMatrix(.transposed, k: k, n: n, b: w, ldb: k)
        var out = [Float](repeating: .nan, count: m * n), g = [Float](repeating: .nan, count: m * n)
        bias.withUnsafeBufferPointer { pb in residual.withUnsafeBufferPointer { pr in g.withUnsafeMutableBufferPointer { pg in
            linearForward(out: &out, inp: a, weight: packed, bias: pb.baseAddress!, n: m, residual: pr.baseAddress!, gelu: pg.baseAddress!)
        } } }
        #expect(out.map(\.bitPattern) == expected.out.map(\.bitPattern), "prepacked \(m)×\(n)×\(k)")
        #expect(g.map(\.bitPattern) == expected.gelu.map(\.bitPattern), "prepacked GELU \(m)×\(n)×\(k)")
    }

    /// GELU written over the product itself, as the decoder does with its hidden layer.
    @Test func geluMayOverwriteTheProduct() {
        let (m, n, k) = (13, 40, 300)
        let a = matrix(m * k, seed: 21), w = matrix(n * k, seed: 22), bias = matrix(n, seed: 23)
        let expected = Self.unfused(m: m, n: n, k: k, a: a, w: w, bias: bias, residual: [Float](repeating: 0, count: m * n))
        var out = [Float](repeating: 0, count: m * n)
        out.withUnsafeMutableBufferPointer { po in
            linearForward(out: po.baseAddress!, inp: a, weight: w, bias: bias, n: m, c: k, oc: n, threads: 2, gelu: po.baseAddress!)
        }
        #expect(out.map(\.bitPattern) == expected.gelu.map(\.bitPattern))
    }
    /// The GELU′ saved beside GELU (over the product itself, as the training forward does) is the factor
    /// `geluBackward` computes from the pre-activation, bit for bit: its dinp for dout = 1 is +0 + 1·GELU′.
    @Test(arguments: [(7, 17, 3), (13, 128, 128), (97, 40, 300)])
    func geluSlopeFusedIsBitwiseGeluBackwardsFactor(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = matrix(m * k, seed: 31), w = matrix(n * k, seed: 32).map { $0 * 3 }, bias = matrix(n, seed: 33)
        let expected = Self.unfused(m: m, n: n, k: k, a: a, w: w, bias: bias, residual: [Float](repeating: 0, count: m * n))
        var slope = [Float](repeating: .nan, count: m * n)
        geluBackward(dinp: &slope, inp: expected.out, dout: [Float](repeating: 1, count: m * n), count: m * n, accumulate: false)
        for threads in [1, 2] {
            var out = [Float](repeating: .nan, count: m * n), g = [Float](repeating: .nan, count: m * n)
            out.withUnsafeMutableBufferPointer { po in g.withUnsafeMutableBufferPointer { pg in
                linearForward(out: po.baseAddress!, inp: a, weight: w, bias: bias, n: m, c: k, oc: n, threads: threads,
                              gelu: pg.baseAddress!, geluSlope: po.baseAddress!)
            } }
            #expect(out.map(\.bitPattern) == slope.map(\.bitPattern), "GELU′ \(m)×\(n)×\(k) on \(threads) threads")
            #expect(g.map(\.bitPattern) == expected.gelu.map(\.bitPattern), "GELU \(m)×\(n)×\(k) on \(threads) threads")
        }
    }

    /// dinp with a factor fused into its store equals the product followed by `geluBackward`'s multiply,
    /// +0 + v·factor, including the sign of zero; the factor applies once, after the last depth block.
    @Test(arguments: [(1, 1, 1), (7, 17, 3), (97, 40, 300), (150, 512, 128)])
    func factorFusedIsBitwiseTheSeparateMultiply(_ shape: (Int, Int, Int)) {
        let (rows, c, oc) = shape
        let dout = matrix(rows * oc, seed: 41), w = matrix(oc * c, seed: 42), inp = matrix(rows * c, seed: 43)
        var factor = matrix(rows * c, seed: 44)
        factor[0] = -0.0  // a −0 product must come out +0, as the separate pass stores it
        var plain = [Float](repeating: .nan, count: rows * c), dw = [Float](repeating: 0, count: oc * c)
        linearBackward(dinp: &plain, dweight: &dw, dbias: nil, dout: dout, inp: inp, weight: w, n: rows, c: c, oc: oc, threads: 1,
                       accumulate: false)
        let expected = zip(plain, factor).map { (SIMD8<Float>() + SIMD8(repeating: $0) * SIMD8(repeating: $1))[0] }
        #expect(expected[0].sign == .plus)
        for threads in [1, 2] {
            var fused = [Float](repeating: .nan, count: rows * c), dw2 = [Float](repeating: 0, count: oc * c)
            linearBackward(dinp: &fused, dweight: &dw2, dbias: nil, dout: dout, inp: inp, weight: w, n: rows, c: c, oc: oc,
                           threads: threads, accumulate: false, dinpFactor: factor)
            #expect(fused.map(\.bitPattern) == expected.map(\.bitPattern), "\(rows)×\(c)×\(oc) on \(threads) threads")
            #expect(dw2.map(\.bitPattern) == dw.map(\.bitPattern))
        }
    }
}
