/// The reference GEMM: C = alpha·op(A)·op(B) + beta·C with a triple loop, accumulating in Double.
/// Kept beside the fast one as the test oracle and the fallback for tiny products.
///
/// A is m×k (or k×m when transposed) with leading dimension lda; B is k×n (or n×k) with ldb; C is m×n
/// with ldc; all row-major.
public func naiveSGEMM(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
                let x = transA == .none ? a[i * lda + p] : a[p * lda + i]
                let y = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += Double(x) * Double(y)
            }
            let prior = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
            c[i * ldc + j] = Float(Double(alpha) * sum + prior)
        }
    }
}
