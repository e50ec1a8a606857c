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
            GEMM.sgemm(.none, .none, m: 2, n: 2, k: 2, a: pa.baseAddress!, lda: 2, b: pb.baseAddress!, ldb: 2, c: pc.baseAddress!, ldc: 2, threads: 1)
        } } }
        #expect(c == [1, 2, 3, 4])
    }

    /// Covers both splits (rows; columns for short wide products on 3–4 threads), rows with and without a
    /// shared, double-buffered B block over several KC slices (520×520×600 shares on 2 threads), two NC
    /// blocks (n > 2048), edge tiles, and transposed operands.
    @Test(arguments: ["NN", "TN", "NT"])
    func resultsAreBitwiseIdenticalForAnyThreadCount(_ trans: String) {
        let (ta, tb) = Transpose.pair(trans)!
        for (m, n, k) in [(300, 200, 1100), (8, 700, 300), (257, 255, 64), (40, 2100, 300), (520, 520, 600)] {
            let one = compare(ta, tb, m: m, n: n, k: k, alpha: 1, beta: 0.5, threads: 1).0
            for threads in [2, 3, 4] {
                #expect(compare(ta, tb, m: m, n: n, k: k, alpha: 1, beta: 0.5, threads: threads).0 == one,
                        "\(trans) \(m)x\(n)x\(k) on \(threads) threads")
            }
        }
    }

    @Test func threadedResultsMatchTheNaiveReference() {
        for (m, n, k) in [(300, 200, 1100), (8, 700, 300), (40, 2100, 300)] {
            let (fast, slow) = compare(.transposed, .transposed, m: m, n: n, k: k, alpha: 0.5, beta: 1, threads: 2)
            #expect(close(fast, slow, k: k), "\(m)x\(n)x\(k)")
        }
    }
}

@Suite struct WorkerPoolTests {
    @Test func parallelForVisitsEveryIndexOnce() {
        for (count, threads) in [(1, 2), (2, 2), (7, 3), (100, 2), (5, 8)] {
            let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
            visits.initialize(repeating: 0)
            defer { visits.deallocate() }
            let box = UncheckedSendable(visits)
            parallelFor(count, threads: threads) { box.value[$0] += 1 }
            #expect(Array(visits) == [Int](repeating: 1, count: count), "\(count) on \(threads)")
        }
    }

    @Test func nestedParallelForRunsInlineInsteadOfDeadlocking() {
        let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4)
        sums.initialize(repeating: 0)
        defer { sums.deallocate() }
        let box = UncheckedSendable(sums)
        parallelFor(4, threads: 2) { i in
            parallelFor(10, threads: 2) { j in box.value[i] += j }
        }
        #expect(Array(sums) == [45, 45, 45, 45])
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
