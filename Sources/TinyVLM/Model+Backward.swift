import Compute

extension Model {
    /// Forward and backward pass: returns the loss and leaves ∂loss/∂parameters in the gradient buffer
    /// (overwritten, not accumulated).
    @discardableResult
    public func lossAndGradients(_ batch: Batch) -> Float {
        let a = forward(batch)
        let c = config, d = c.d, P = c.patches, B = batch.size, T = batch.time, S = a.s, n = B * S
        gradients.zero()
        let loss = batch.targets.withUnsafeBufferPointer { t in
            batch.mask.withUnsafeBufferPointer { m in
                crossEntropyForwardBackward(dlogits: a.dLogits.pointer, logits: a.logits.pointer, targets: t.baseAddress!,
                                            mask: m.baseAddress!, n: B * T, vocab: c.vocab)
            }
        }
        // Head (tied to tok) and final layer norm.
        linearBackward(dinp: a.dLnf.pointer, dweight: g("tok.weight"), dbias: nil, dout: a.dLogits.pointer, inp: a.lnf.pointer,
                       weight: p("tok.weight"), n: B * T, c: d, oc: c.vocab, threads: threads, accumulate: false)
        a.dTextX.zero()
        layerNormBackward(dinp: a.dTextX.pointer, dweight: g("ln.weight"), dbias: g("ln.bias"), dout: a.dLnf.pointer,
                          inp: a.textX.pointer, weight: p("ln.weight"), mean: a.lnfMean.pointer, rstd: a.lnfRstd.pointer, n: B * T, c: d, threads: threads)
        a.dResid.zero()
        for bi in 0..<B { (a.dResid.pointer + (bi * S + P) * d).update(from: a.dTextX.pointer + bi * T * d, count: T * d) }

        let shape = AttentionShape(batch: B, time: S, channels: d, heads: c.heads, prefix: attentionPrefix)
        for l in stride(from: c.layers - 1, through: 0, by: -1) {
            let pre = "blocks.\(l)."
            let input = l == 0 ? a.x0.pointer : a.residOut[l - 1].pointer
            // MLP: residOut = resid2 + out(gelu(fc(ln2(resid2)))).
            // (Inputs' gradients are written, not accumulated: no buffer needs zeroing first. The GELU's
            // backward is the product's store multiplying by the GELU′ the forward pass saved.)
            linearBackward(dinp: a.dFc.pointer, dweight: g(pre + "out.weight"), dbias: g(pre + "out.bias"), dout: a.dResid.pointer,
                           inp: a.fcGelu[l].pointer, weight: p(pre + "out.weight"), n: n, c: 4 * d, oc: d, threads: threads, accumulate: false,
                           dinpFactor: a.fcSlope[l].pointer)
            linearBackward(dinp: a.dLn.pointer, dweight: g(pre + "fc.weight"), dbias: g(pre + "fc.bias"), dout: a.dFc.pointer,
                           inp: a.ln2[l].pointer, weight: p(pre + "fc.weight"), n: n, c: d, oc: 4 * d, threads: threads, accumulate: false)
            // The residual stream's gradient stays in dResid: each layer norm adds its input's gradient there.
            layerNormBackward(dinp: a.dResid.pointer, dweight: g(pre + "ln2.weight"), dbias: g(pre + "ln2.bias"), dout: a.dLn.pointer,
                              inp: a.resid2[l].pointer, weight: p(pre + "ln2.weight"), mean: a.ln2Mean[l].pointer,
                              rstd: a.ln2Rstd[l].pointer, n: n, c: d, threads: threads)
            // Attention: resid2 = input + proj(attention(qkv(ln1(input)))).
            linearBackward(dinp: a.dAtty.pointer, dweight: g(pre + "proj.weight"), dbias: g(pre + "proj.bias"), dout: a.dResid.pointer,
                           inp: a.atty[l].pointer, weight: p(pre + "proj.weight"), n: n, c: d, oc: d, threads: threads, accumulate: false)
            attentionBackward(dqkv: a.dQkv.pointer, dout: a.dAtty.pointer, att: a.att[l].pointer, qkv: a.qkv[l].pointer,
                              shape: shape, threads: threads, accumulate: false)
            linearBackward(dinp: a.dLn.pointer, dweight: g(pre + "qkv.weight"), dbias: g(pre + "qkv.bias"), dout: a.dQkv.pointer,
                           inp: a.ln1[l].pointer, weight: p(pre + "qkv.weight"), n: n, c: d, oc: 3 * d, threads: threads, accumulate: false)
            layerNormBackward(dinp: a.dResid.pointer, dweight: g(pre + "ln1.weight"), dbias: g(pre + "ln1.bias"), dout: a.dLn.pointer,
                              inp: input, weight: p(pre + "ln1.weight"), mean: a.ln1Mean[l].pointer, rstd: a.ln1Rstd[l].pointer, n: n, c: d, threads: threads)
        }
        // Embeddings: dResid now holds ∂loss/∂x0.
        let dpos = g("pos.weight"), dtok = g("tok.weight")
        batch.tokens.withUnsafeBufferPointer { tokens in
            for bi in 0..<B {
                for si in 0..<S {
                    let row = a.dResid.pointer + (bi * S + si) * d, pr = dpos + si * d
                    for j in 0..<d { pr[j] += row[j] }
                    if si >= P {
                        let tr = dtok + Int(tokens[bi * T + si - P]) * d
                        for j in 0..<d { tr[j] += row[j] }
                    }
                }
            }
        }
        // vis: gather the patch rows' gradients, then its weight and bias gradients.
        let dVis = a.dLn  // reuse: (B·P, d) fits in (B·S, d)
        for bi in 0..<B { (dVis.pointer + bi * P * d).update(from: a.dResid.pointer + bi * S * d, count: P * d) }
        batch.patches.withUnsafeBufferPointer { pp in
            guard let stem = c.stem, let hidden = a.stemGelu, let slope = a.stemSlope, let dStem = a.dStem else {
                linearBackward(dinp: nil, dweight: g("vis.weight"), dbias: g("vis.bias"), dout: dVis.pointer, inp: pp.baseAddress!,
                               weight: p("vis.weight"), n: B * P, c: c.patchFeatures, oc: d, threads: threads)
                return
            }
            // Through vis to the stem's GELU output, times its GELU′, then the stem's own gradients.
            linearBackward(dinp: dStem.pointer, dweight: g("vis.weight"), dbias: g("vis.bias"), dout: dVis.pointer, inp: hidden.pointer,
                           weight: p("vis.weight"), n: B * P, c: stem, oc: d, threads: threads, accumulate: false, dinpFactor: slope.pointer)
            linearBackward(dinp: nil, dweight: g("stem.weight"), dbias: g("stem.bias"), dout: dStem.pointer, inp: pp.baseAddress!,
                           weight: p("stem.weight"), n: B * P, c: c.patchFeatures, oc: stem, threads: threads)
        }
        return loss
    }
}
