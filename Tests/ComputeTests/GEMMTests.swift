import Compute
import Testing

/// Deterministic pseudo-random matrix in [-1, 1).
func matrix(_ count: Int, seed: UInt64) -> [Float] {
    var s = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        s ^= s << 13; s ^= s >> 7; s ^= s << 17
        return Float(s >> 40) / Float(1 << 23) - 1
    }
}

/// Runs fast and naive GEMM on the same inputs; returns (fast, naive).
func compare(_ ta: Transpose, _ tb: Transpose, m: Int, n: Int, k: Int, alpha: Float, beta: Float, threads: Int = 1)
    -> ([Float], [Float]) {
    let a = matrix(m * k, seed: 1), b = matrix(k * n, seed: 2), c0 = matrix(m * n, seed: 3)
    let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
    var fast = c0, slow = c0
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            fast.withUnsafeMutableBufferPointer { pc in
                GEMM.sgemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                           beta: beta, c: pc.baseAddress!, ldc: n, threads: threads)
            }
            slow.withUnsafeMutableBufferPointer { pc in
                naiveSGEMM(ta, tb, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                           beta: beta, c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return (fast, slow)
}

func close(_ x: [Float], _ y: [Float], k: Int) -> Bool {
    let tolerance = 1e-5 * Float(max(k, 1)) + 1e-5
    return zip(x, y).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

@Suite struct GEMMTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (1, 37, 5), (29, 1, 13), (7, 17, 3), (13, 31, 257), (6, 16, 8),
                                            (97, 101, 103), (150, 40, 300), (5, 600, 2)]

    @Test(arguments: ["NN", "NT", "TN", "TT"])
    func everyTransposeMatchesTheNaiveReferenceOnEdgeSizes(_ trans: String) {
        let (ta, tb) = Transpose.pair(trans)!
        for (m, n, k) in Self.shapes {
            let (fast, slow) = compare(ta, tb, m: m, n: n, k: k, alpha: 1, beta: 0)
            #expect(close(fast, slow, k: k), "\(trans) \(m)x\(n)x\(k)")
        }
    }

    @Test func alphaAndBetaCombine() {
        for (alpha, beta) in [(Float(1), Float(1)), (0.5, -2), (-1.5, 0), (0, 0.5), (2, 1)] {
            for (m, n, k) in [(13, 31, 40), (64, 64, 300)] {
                let (fast, slow) = compare(.none, .transposed, m: m, n: n, k: k, alpha: alpha, beta: beta)
                #expect(close(fast, slow, k: k), "alpha \(alpha) beta \(beta)")
            }
        }
    }

    @Test func betaZeroIgnoresWhatCHeld() {
        var c = [Float](repeating: .nan, count: 4)
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, 0, 0, 1]
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            GEMM.sgemm(.none, .none, m: 2, n: 2, k: 2, a: pa.baseAddress!, lda: 2, b: pb.baseAddress!, ldb: 2, c: pc.baseAddress!, ldc: 2)
        } } }
        #expect(c == [1, 2, 3, 4])
    }

    @Test func resultsAreBitwiseIdenticalForAnyThreadCount() {
        for (m, n, k) in [(300, 200, 513), (8, 700, 300), (257, 255, 64)] {
            let one = compare(.none, .none, m: m, n: n, k: k, alpha: 1, beta: 0.5, threads: 1).0
            for threads in [2, 3, 4] {
                #expect(compare(.none, .none, m: m, n: n, k: k, alpha: 1, beta: 0.5, threads: threads).0 == one)
            }
        }
    }
}
