import Compute
import Foundation

/// `judgeflow-bench gemm`: GFLOP/s of `GEMM.sgemm`, best of 5 timed repetitions of ~0.2 s of work each,
/// measured like ../shared/bench/blas-ref/sgemm.py measures OpenBLAS.
enum GEMMBench {
    static func run(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--m", "--n", "--k", "--trans", "--threads"], switches: ["--json", "--peak"])
        if f.flag("--peak") {
            let gflops = (peak() * 100).rounded() / 100
            print(f.flag("--json") ? "{\"peak_gflops\": \(gflops)}" : "single-core FMA peak: \(gflops) GFLOP/s")
            return
        }
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

    /// The core's measured FMA throughput: 12 independent chains of 8-lane fused multiply-adds (enough to
    /// cover the FMA latency on both pipes), no memory traffic. Best of 20 runs of ~30 ms: a shorter or
    /// single run read as low as 98 while the same core gave 117 a moment later (shared machine).
    static func peak() -> Double {
        let steps = 2_000_000
        var best = Double.infinity
        var sink = SIMD8<Float>()
        for _ in 0..<20 {
            var acc = (0..<12).map { SIMD8<Float>(repeating: Float($0)) }
            let x = SIMD8<Float>(repeating: 0.999_999), y = SIMD8<Float>(repeating: 1e-7)
            let start = DispatchTime.now().uptimeNanoseconds
            var a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5]
            var a6 = acc[6], a7 = acc[7], a8 = acc[8], a9 = acc[9], a10 = acc[10], a11 = acc[11]
            for _ in 0..<steps {
                a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x)
                a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x)
                a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x); a8 = y.addingProduct(a8, x)
                a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x); a11 = y.addingProduct(a11, x)
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            acc = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
            sink += acc.reduce(SIMD8<Float>(), +)
        }
        if sink[0] == .infinity { print("") }  // keeps the loop observable
        return 2.0 * 8 * 12 * Double(steps) / best / 1e9
    }
}

