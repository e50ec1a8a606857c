import Compute
import Foundation
import VectorMath
import WideMath

/// `judgeflow-bench elementwise`: e^(x − shift) over an L1-resident array and GELU over 16-column tiles,
/// in the 8-lane AVX2 form (VectorMath's code as Compute runs it without AVX-512, built with the same
/// flags) and in WideMath's 16-lane AVX-512 form (what Compute runs with it), in nanoseconds per eight
/// values, best of 5 timings of ~0.1 s each. The two forms give the same bits.
enum ElementwiseBench {
    static func run(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: [], switches: ["--json"])
        let count = 1024
        let input = (0..<count).map { (i: Int) -> Float in
            let a = Float(i % 97) * -0.07, b = Float(i % 13) * 0.3
            return a + b
        }
        var output = [Float](repeating: 0, count: count)
        var results: [(String, Double)] = []
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                let inp = x.baseAddress!, out = y.baseAddress!
                results.append(("exp_8_lanes", time(count) {
                    vectorExpShifted(SIMD8<Float>.self, out: out, inp: inp, count: count, shift: 0.5)
                }))
                results.append(("gelu_8_lanes", time(count) {
                    vectorGeluTile(SIMD8<Float>.self, rows: count / 16, c: inp, ldc: 16, gelu: out, ldg: 16, slope: nil)
                }))
                if CPUFeatures.avx512 {
                    results.append(("exp_16_lanes", time(count) { WideMath.expShifted(out: out, inp: inp, count: count, shift: 0.5) }))
                    results.append(("gelu_16_lanes", time(count) {
                        WideMath.geluTile(rows: count / 16, c: inp, ldc: 16, gelu: out, ldg: 16, slope: nil)
                    }))
                }
            }
        }
        if f.flag("--json") {
            print("{" + results.map { "\"\($0.0)_ns_per_8\": \(($0.1 * 1000).rounded() / 1000)" }.joined(separator: ", ") + "}")
        } else {
            for (name, ns) in results { print("\(name): \(String(format: "%.2f", ns)) ns per 8 values") }
            if !CPUFeatures.avx512 { print("(no AVX-512 on this CPU: the 16-lane forms are not run)") }
        }
    }

    /// Best of 5 timings of enough calls of `body` for ~0.1 s, in nanoseconds per eight of `count` values.
    static func time(_ count: Int, _ body: () -> Void) -> Double {
        let calls = 20_000
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(calls * count / 8))
        }
        return best
    }
}
