import Compute
import Testing

/// The training backward writes input gradients instead of zeroing buffers and accumulating into them.
/// Each `accumulate: false` form must give exactly the bits of "zero, then accumulate", including the
/// sign of zero gradients (a GELU slope times a zero upstream gradient is −0; zero + −0 is +0).
@Suite struct BackwardOverwriteTests {
    @Test func linearInputGradientWrittenIsBitwiseZeroedAndAccumulated() {
        let (n, c, oc) = (37, 20, 300)
        var dout = matrix(n * oc, seed: 1)
        for i in stride(from: 0, to: dout.count, by: 3) { dout[i] = 0 }
        let inp = matrix(n * c, seed: 2), weight = matrix(oc * c, seed: 3)
        func run(accumulate: Bool, start: Float) -> [UInt32] {
            var dinp = [Float](repeating: start, count: n * c)
            var dw = [Float](repeating: 0, count: oc * c), db = [Float](repeating: 0, count: oc)
            dinp.mut { d in dw.mut { w in db.mut { b in
                linearBackward(dinp: d, dweight: w, dbias: b, dout: dout, inp: inp, weight: weight, n: n, c: c, oc: oc, threads: 2,
                               accumulate: accumulate)
            } } }
            return (dinp + dw + db).map(\.bitPattern)
        }
        #expect(run(accumulate: false, start: .nan) == run(accumulate: true, start: 0))
    }

    @Test func geluGradientWrittenIsBitwiseZeroedAndAccumulated() {
        let count = 40_003
        let x = matrix(count, seed: 4).map { $0 * 6 }
        var g = matrix(count, seed: 5)
        for i in stride(from: 0, to: count, by: 2) { g[i] = 0 }
        func run(accumulate: Bool, start: Float) -> [UInt32] {
            var d = [Float](repeating: start, count: count)
            d.mut { geluBackward(dinp: $0, inp: x, dout: g, count: count, threads: 2, accumulate: accumulate) }
            return d.map(\.bitPattern)
        }
        let written = run(accumulate: false, start: .nan)
        #expect(written == run(accumulate: true, start: 0))
        #expect(written.contains(Float(0).bitPattern))
    }

    /// Masked rows (the attention's causal form): the written form also zeroes each row past its valid columns.
    @Test func softmaxGradientWrittenIsBitwiseZeroedAndAccumulated() {
        let (n, c) = (23, 37)
        let valid: (Int) -> Int = { max($0 + 1, 5) }
        var y = [Float](repeating: 0, count: n * c)
        y.mut { o in softmaxForward(out: o, inp: matrix(n * c, seed: 8), n: n, c: c, valid: valid) }
        var g = matrix(n * c, seed: 9)
        for i in stride(from: 0, to: g.count, by: 4) { g[i] = 0 }
        func run(accumulate: Bool, start: Float) -> [UInt32] {
            var d = [Float](repeating: start, count: n * c)
            d.mut { softmaxBackward(dinp: $0, out: y, dout: g, n: n, c: c, valid: valid, accumulate: accumulate) }
            return d.map(\.bitPattern)
        }
        #expect(run(accumulate: false, start: .nan) == run(accumulate: true, start: 0))
    }

    @Test func attentionGradientWrittenIsBitwiseZeroedAndAccumulated() {
        let shape = AttentionShape(batch: 3, time: 70, channels: 12, heads: 3, prefix: 5)
        let n = 3 * 70 * 12
        let qkv = matrix(3 * n, seed: 6), g = matrix(n, seed: 7)
        var out = [Float](repeating: 0, count: n), att = [Float](repeating: 0, count: 3 * 3 * 70 * 70)
        out.mut { o in att.mut { a in attentionForward(out: o, att: a, qkv: qkv, shape: shape, threads: 2) } }
        func run(accumulate: Bool, start: Float) -> [UInt32] {
            var d = [Float](repeating: start, count: 3 * n)
            d.mut { attentionBackward(dqkv: $0, dout: g, att: att, qkv: qkv, shape: shape, threads: 2, accumulate: accumulate) }
            return d.map(\.bitPattern)
        }
        #expect(run(accumulate: false, start: .nan) == run(accumulate: true, start: 0))
    }
}
