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
}
