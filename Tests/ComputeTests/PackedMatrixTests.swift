import Compute
import Testing

@Suite struct PackedMatrixTests {
    /// Generation multiplies by prepacked weights while training multiplies by the raw ones; the two must
    /// give the same bits, or a judge's greedy answer could differ from what its training saw.
    @Test(arguments: [(1, 1, 1), (5, 17, 3), (16, 384, 128), (13, 128, 512), (7, 33, 300), (150, 40, 257)])
    func productsAgainstAPackedOperandAreBitwiseThoseOfSgemm(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (transA, transB) in [(Transpose.none, Transpose.transposed), (.transposed, .none), (.none, .none)] {
            let a = matrix(m * k, seed: 1), b = matrix(k * n, seed: 2), c0 = matrix(m * n, seed: 3)
            let lda = transA == .none ? k : m, ldb = transB == .none ? n : k
            for (alpha, beta): (Float, Float) in [(1, 0), (0.5, 1), (-2, 0.25)] {
                var expected = c0, actual = c0
                GEMM.sgemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                           c: &expected, ldc: n, threads: 1)
                let packed = PackedMatrix(transB, k: k, n: n, b: b, ldb: ldb)
                GEMM.sgemm(transA, m: m, alpha: alpha, a: a, lda: lda, packed: packed, beta: beta, c: &actual, ldc: n)
                #expect(expected.map(\.bitPattern) == actual.map(\.bitPattern), "\(transA) \(transB) \(m)×\(n)×\(k) α \(alpha) β \(beta)")
            }
        }
    }
}
