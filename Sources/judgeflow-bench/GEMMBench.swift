import Compute
import Foundation

/// `judgeflow-bench gemm`: GFLOP/s of `GEMM.sgemm`, best of 5 timed repetitions of ~0.2 s of work each,
/// measured like ../shared/bench/blas-ref/sgemm.py measures OpenBLAS.
enum GEMMBench {
    static func run(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--m", "--n", "--k", "--trans", "--threads"], switches: ["--json"])
        let m = try f.int("--m"), n = try f.int("--n"), k = try f.int("--k"), threads = try f.int("--threads", default: 1)
        let transText = f.string("--trans") ?? "NN"
        guard let (ta, tb) = Transpose.pair(transText) else { throw .usage("--trans must be NN, NT, TN or TT") }
        var rng = SystemRandomNumberGenerator()
        let a = (0..<(m * k)).map { _ in Float.random(in: 0..<1, using: &rng) }
        let b = (0..<(k * n)).map { _ in Float.random(in: 0..<1, using: &rng) }
        var c = [Float](repeating: 0, count: m * n)
        let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
        func once() {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        GEMM.sgemm(ta, tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                   c: pc.baseAddress!, ldc: n, threads: threads)
                    }
                }
            }
        }
        let flop = 2.0 * Double(m) * Double(n) * Double(k)
        once()
        let reps = max(1, Int(0.2 * 80e9 / flop))
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { once() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(reps))
        }
        let gflops = (flop / best / 1e9 * 100).rounded() / 100
        if f.flag("--json") {
            print("{\"m\": \(m), \"n\": \(n), \"k\": \(k), \"trans\": \"\(transText)\", \"threads\": \(threads), \"gflops\": \(gflops)}")
        } else {
            print("\(transText) \(m)x\(n)x\(k) threads=\(threads): \(gflops) GFLOP/s")
        }
    }
}
