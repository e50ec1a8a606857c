import Compute
import Testing

/// Checks an analytic input gradient against central finite differences of L = Σ out·w.
/// `forward` maps input values to output values; `backward` maps (input, dout) to dinput.
func gradientError(_ input: [Float], outputs: Int, forward: ([Float]) -> [Float],
                   backward: ([Float], [Float]) -> [Float], step: Float = 1e-2) -> Float {
    let w = matrix(outputs, seed: 77)
    func loss(_ x: [Float]) -> Double { zip(forward(x), w).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
    let analytic = backward(input, w)
    var worst: Float = 0
    for i in input.indices {
        var plus = input, minus = input
        plus[i] += step
        minus[i] -= step
        let numeric = Float((loss(plus) - loss(minus)) / Double(2 * step))
        worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric)))
    }
    return worst
}

extension Array where Element == Float {
    func ptr<R>(_ body: (UnsafePointer<Float>) -> R) -> R { withUnsafeBufferPointer { body($0.baseAddress!) } }
    mutating func mut<R>(_ body: (UnsafeMutablePointer<Float>) -> R) -> R { withUnsafeMutableBufferPointer { body($0.baseAddress!) } }
}

@Suite struct GradientCheckTests {
    @Test func layerNormGradientsMatchFiniteDifferences() {
        let n = 3, c = 8
        let weight = matrix(c, seed: 5).map { $0 + 1 }, bias = matrix(c, seed: 6)
        let err = gradientError(matrix(n * c, seed: 4), outputs: n * c, forward: { x in
            var out = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
            out.mut { o in mean.mut { m in rstd.mut { r in x.ptr { xp in weight.ptr { w in bias.ptr { b in
                layerNormForward(out: o, mean: m, rstd: r, inp: xp, weight: w, bias: b, n: n, c: c) } } } } } }
            return out
        }, backward: { x, g in
            var out = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
            var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c), db = dw
            out.mut { o in mean.mut { m in rstd.mut { r in x.ptr { xp in weight.ptr { w in bias.ptr { b in
                layerNormForward(out: o, mean: m, rstd: r, inp: xp, weight: w, bias: b, n: n, c: c)
                dx.mut { d in dw.mut { dwp in db.mut { dbp in g.ptr { gp in
                    layerNormBackward(dinp: d, dweight: dwp, dbias: dbp, dout: gp, inp: xp, weight: w, mean: m, rstd: r, n: n, c: c)
                } } } }
            } } } } } }
            return dx
        })
        #expect(err < 2e-2)
    }

    @Test func geluGradientMatchesFiniteDifferences() {
        let x = matrix(16, seed: 8).map { $0 * 3 }
        let err = gradientError(x, outputs: 16, forward: { x in
            var out = [Float](repeating: 0, count: 16)
            out.mut { o in x.ptr { geluForward(out: o, inp: $0, count: 16) } }
            return out
        }, backward: { x, g in
            var dx = [Float](repeating: 0, count: 16)
            dx.mut { d in x.ptr { xp in g.ptr { geluBackward(dinp: d, inp: xp, dout: $0, count: 16) } } }
            return dx
        })
        #expect(err < 1e-2)
    }

    @Test func softmaxGradientMatchesFiniteDifferences() {
        let n = 2, c = 6
        let err = gradientError(matrix(n * c, seed: 9), outputs: n * c, forward: { x in
            var out = [Float](repeating: 0, count: n * c)
            out.mut { o in x.ptr { softmaxForward(out: o, inp: $0, n: n, c: c) } }
            return out
        }, backward: { x, g in
            var out = [Float](repeating: 0, count: n * c), dx = out
            out.mut { o in x.ptr { softmaxForward(out: o, inp: $0, n: n, c: c) } }
            dx.mut { d in out.ptr { o in g.ptr { softmaxBackward(dinp: d, out: o, dout: $0, n: n, c: c) } } }
            return dx
        })
        #expect(err < 1e-2)
    }

    @Test(arguments: [0, 3])
    func attentionGradientMatchesFiniteDifferences(prefix: Int) {
        let shape = AttentionShape(batch: 2, time: 5, channels: 8, heads: 2, prefix: prefix)
        let n = 2 * 5 * 8
        func run(_ x: [Float]) -> ([Float], [Float]) {
            var out = [Float](repeating: 0, count: n), att = [Float](repeating: 0, count: 2 * 2 * 5 * 5)
            out.mut { o in att.mut { a in x.ptr { attentionForward(out: o, att: a, qkv: $0, shape: shape, threads: 2) } } }
            return (out, att)
        }
        let err = gradientError(matrix(3 * n, seed: 10), outputs: n, forward: { run($0).0 }, backward: { x, g in
            let (_, att) = run(x)
            var dx = [Float](repeating: 0, count: 3 * n)
            dx.mut { d in g.ptr { gp in att.ptr { a in x.ptr { attentionBackward(dqkv: d, dout: gp, att: a, qkv: $0, shape: shape, threads: 2) } } } }
            return dx
        })
        #expect(err < 2e-2)
    }

    /// Longer than several causal blocks, with a prefix shorter and one longer than a block: the blocked
    /// products that skip masked keys agree with a direct evaluation of the formulas.
    @Test(arguments: [0, 7, 60])
    func blockedAttentionMatchesDirectEvaluation(prefix: Int) {
        let (t, c, heads) = (130, 8, 2), hs = c / heads
        let shape = AttentionShape(batch: 1, time: t, channels: c, heads: heads, prefix: prefix)
        let qkv = matrix(t * 3 * c, seed: 21), g = matrix(t * c, seed: 22)
        var out = [Float](repeating: 0, count: t * c), att = [Float](repeating: 0, count: heads * t * t)
        var dqkv = [Float](repeating: 0, count: t * 3 * c)
        out.mut { o in att.mut { a in qkv.ptr { attentionForward(out: o, att: a, qkv: $0, shape: shape, threads: 2) } } }
        dqkv.mut { d in g.ptr { gp in att.ptr { a in qkv.ptr { attentionBackward(dqkv: d, dout: gp, att: a, qkv: $0, shape: shape, threads: 2) } } } }
        var expectedOut = [Float](repeating: 0, count: t * c), expectedD = [Float](repeating: 0, count: t * 3 * c)
        let scale = 1 / Float(hs).squareRoot()
        func x(_ row: Int, _ part: Int, _ h: Int, _ j: Int) -> Float { qkv[row * 3 * c + part * c + h * hs + j] }
        for h in 0..<heads {
            for row in 0..<t {
                let seen = max(row + 1, prefix)
                var p = (0..<seen).map { s in scale * (0..<hs).reduce(Float(0)) { $0 + x(row, 0, h, $1) * x(s, 1, h, $1) } }
                let top = p.max()!
                p = p.map { expf($0 - top) }
                let total = p.reduce(0, +)
                p = p.map { $0 / total }
                for j in 0..<hs { expectedOut[row * c + h * hs + j] = (0..<seen).reduce(Float(0)) { $0 + p[$1] * x($1, 2, h, j) } }
                let dp = (0..<seen).map { s in (0..<hs).reduce(Float(0)) { $0 + g[row * c + h * hs + $1] * x(s, 2, h, $1) } }
                let dot = zip(p, dp).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                for s in 0..<seen {
                    let ds = p[s] * (dp[s] - dot)
                    for j in 0..<hs {
                        expectedD[row * 3 * c + h * hs + j] += scale * ds * x(s, 1, h, j)
                        expectedD[s * 3 * c + c + h * hs + j] += scale * ds * x(row, 0, h, j)
                        expectedD[s * 3 * c + 2 * c + h * hs + j] += p[s] * g[row * c + h * hs + j]
                    }
                }
            }
        }
        #expect(close(out, expectedOut, k: t))
        #expect(close(dqkv, expectedD, k: t))
    }

    @Test func attentionRespectsTheMask() {
        let shape = AttentionShape(batch: 1, time: 4, channels: 4, heads: 1, prefix: 2)
        var att = [Float](repeating: 0, count: 16), out = [Float](repeating: 0, count: 16)
        let qkv = matrix(48, seed: 1)
        out.mut { o in att.mut { a in qkv.ptr { attentionForward(out: o, att: a, qkv: $0, shape: shape, threads: 1) } } }
        // Row 0 sees the whole prefix (0, 1) but not 2, 3; row 2 sees 0…2; row 3 sees all.
        #expect(att[1] > 0 && att[2] == 0 && att[3] == 0)
        #expect(att[2 * 4 + 2] > 0 && att[2 * 4 + 3] == 0)
        #expect(abs(att[12..<16].reduce(0, +) - 1) < 1e-5)
    }

    @Test func linearGradientsMatchFiniteDifferences() {
        let n = 3, c = 5, oc = 4
        let weight = matrix(oc * c, seed: 11), bias = matrix(oc, seed: 12)
        let err = gradientError(matrix(n * c, seed: 13), outputs: n * oc, forward: { x in
            var out = [Float](repeating: 0, count: n * oc)
            out.mut { o in x.ptr { xp in weight.ptr { w in bias.ptr { linearForward(out: o, inp: xp, weight: w, bias: $0, n: n, c: c, oc: oc, threads: 1) } } } }
            return out
        }, backward: { x, g in
            var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: oc * c), db = [Float](repeating: 0, count: oc)
            dx.mut { d in dw.mut { dwp in db.mut { dbp in g.ptr { gp in x.ptr { xp in weight.ptr { w in
                linearBackward(dinp: d, dweight: dwp, dbias: dbp, dout: gp, inp: xp, weight: w, n: n, c: c, oc: oc, threads: 1)
            } } } } } }
            return dx
        })
        #expect(err < 1e-2)
    }

    @Test func crossEntropyGradientIsTheGradientOfTheMaskedMean() {
        let n = 3, v = 7
        let targets: [Int32] = [2, 0, 6], mask: [Float] = [1, 0, 1]
        func loss(_ x: [Float]) -> Float {
            x.ptr { xp in targets.withUnsafeBufferPointer { t in mask.ptr { m in
                crossEntropyForwardBackward(dlogits: nil, logits: xp, targets: t.baseAddress!, mask: m, n: n, vocab: v) } } }
        }
        let x = matrix(n * v, seed: 14)
        var d = [Float](repeating: 0, count: n * v)
        _ = d.mut { dp in x.ptr { xp in targets.withUnsafeBufferPointer { t in mask.ptr { m in
            crossEntropyForwardBackward(dlogits: dp, logits: xp, targets: t.baseAddress!, mask: m, n: n, vocab: v) } } } }
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += 1e-2
            minus[i] -= 1e-2
            #expect(abs((loss(plus) - loss(minus)) / 2e-2 - d[i]) < 2e-3)
        }
        #expect(d[v..<(2 * v)].allSatisfy { $0 == 0 })
    }

    @Test func adamWClipsAndDecays() {
        var opt = AdamW(weightDecay: 0.5, clipNorm: 1)
        var params: [Float] = [1, 1], m: [Float] = [0, 0], v: [Float] = [0, 0]
        let grads: [Float] = [30, 40], decay: [Float] = [1, 0]
        let norm = params.mut { p in m.mut { mp in v.mut { vp in grads.ptr { g in decay.ptr { dm in
            opt.update(params: p, grads: g, m: mp, v: vp, decayMask: dm, count: 2, lr: 0.1) } } } } }
        #expect(norm == 50)
        // First Adam step moves each parameter by lr·sign(g); only the first also decays.
        #expect(abs(params[0] - (1 - 0.1 * (1 + 0.5))) < 1e-4)
        #expect(abs(params[1] - 0.9) < 1e-4)
    }
}

@Suite struct FastMathTests {
    @Test func expAndTanhMatchLibmClosely() {
        var worstExp: Float = 0, worstTanh: Float = 0
        for i in -2000...2000 {
            let x = Float(i) / 40
            worstExp = max(worstExp, abs(fastExp(x) - expf(x)) / expf(x))
            worstTanh = max(worstTanh, abs(fastTanh(x) - tanhf(x)))
        }
        #expect(worstExp < 1e-6)
        #expect(worstTanh < 1e-6)
        #expect(fastExp(-200) == 0 || fastExp(-200) < 1e-37)
        #expect(fastTanh(50) == 1 && fastTanh(-50) == -1)
    }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ThreadIndependenceTests {
    @Test func rowAndElementKernelsGiveIdenticalBitsForAnyThreadCount() {
        let n = 300, c = 24
        let x = matrix(n * c, seed: 21), g = matrix(n * c, seed: 22), w = matrix(c, seed: 23), b = matrix(c, seed: 24)
        var results: [[Float]] = []
        for threads in [1, 2, 3] {
            var out = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
            var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c), db = dw
            var gelu = [Float](repeating: 0, count: n * c), dgelu = gelu
            out.mut { o in mean.mut { m in rstd.mut { r in x.ptr { xp in w.ptr { wp in b.ptr { bp in
                layerNormForward(out: o, mean: m, rstd: r, inp: xp, weight: wp, bias: bp, n: n, c: c, threads: threads)
                dx.mut { d in dw.mut { dwp in db.mut { dbp in g.ptr { gp in
                    layerNormBackward(dinp: d, dweight: dwp, dbias: dbp, dout: gp, inp: xp, weight: wp, mean: m, rstd: r, n: n, c: c, threads: threads)
                } } } }
            } } } } } }
            gelu.mut { o in x.ptr { geluForward(out: o, inp: $0, count: n * c, threads: threads) } }
            dgelu.mut { d in x.ptr { xp in g.ptr { geluBackward(dinp: d, inp: xp, dout: $0, count: n * c, threads: threads) } } }
            results.append(out + dx + dw + db + gelu + dgelu)
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }
}
