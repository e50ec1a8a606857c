import Compute

extension Model {
    /// Activations for a (b, t) batch: the kept ones when they were made for b sequences and at least t
    /// text positions (they then hold this batch's rows in their first part), else new ones for the larger
    /// of t and what was kept. Training batches are as long as their longest example, so t changes almost
    /// every step: making them anew each time zeroed tens of MB per step, and the freed blocks of ever
    /// different sizes grew the process's heap (the main job reached 16.5 GB resident).
    func activations(b: Int, t: Int) -> Activations {
        if let a = activations, a.b == b, a.capacity >= t {
            a.use(t: t)
            return a
        }
        let a = Activations(config, b: b, t: max(t, activations.map { $0.b == b ? $0.capacity : 0 } ?? 0))
        a.use(t: t)
        activations = a
        return a
    }

    var attentionPrefix: Int { config.prefixAttention ? config.patches : 0 }

    /// Forward pass over a batch; fills the activations (logits included) and returns them.
    @discardableResult
    func forward(_ batch: Batch) -> Activations {
        let c = config, d = c.d, P = c.patches, B = batch.size, T = batch.time
        let a = activations(b: B, t: T)
        let S = a.s, n = B * S
        // Embeddings: patches through `vis`, tokens through `tok`, plus positions.
        batch.patches.withUnsafeBufferPointer { pp in
            linearForward(out: a.visOut.pointer, inp: pp.baseAddress!, weight: p("vis.weight"), bias: p("vis.bias"),
                          n: B * P, c: c.patchFeatures, oc: d, threads: threads)
        }
        let tok = p("tok.weight"), pos = p("pos.weight")
        batch.tokens.withUnsafeBufferPointer { tokens in
            for bi in 0..<B {
                for si in 0..<S {
                    let row = a.x0.pointer + (bi * S + si) * d, pr = pos + si * d
                    let src = si < P ? a.visOut.pointer + (bi * P + si) * d : tok + Int(tokens[bi * T + si - P]) * d
                    for j in 0..<d { row[j] = src[j] + pr[j] }
                }
            }
        }
        let shape = AttentionShape(batch: B, time: S, channels: d, heads: c.heads, prefix: attentionPrefix)
        for l in 0..<c.layers {
            let pre = "blocks.\(l)."
            let input = l == 0 ? a.x0.pointer : a.residOut[l - 1].pointer
            layerNormForward(out: a.ln1[l].pointer, mean: a.ln1Mean[l].pointer, rstd: a.ln1Rstd[l].pointer, inp: input,
                             weight: p(pre + "ln1.weight"), bias: p(pre + "ln1.bias"), n: n, c: d, threads: threads)
            linearForward(out: a.qkv[l].pointer, inp: a.ln1[l].pointer, weight: p(pre + "qkv.weight"), bias: p(pre + "qkv.bias"),
                          n: n, c: d, oc: 3 * d, threads: threads)
            attentionForward(out: a.atty[l].pointer, att: a.att[l].pointer, qkv: a.qkv[l].pointer, shape: shape, threads: threads)
            linearForward(out: a.resid2[l].pointer, inp: a.atty[l].pointer, weight: p(pre + "proj.weight"), bias: p(pre + "proj.bias"),
                          n: n, c: d, oc: d, threads: threads, residual: input)
            layerNormForward(out: a.ln2[l].pointer, mean: a.ln2Mean[l].pointer, rstd: a.ln2Rstd[l].pointer, inp: a.resid2[l].pointer,
                             weight: p(pre + "ln2.weight"), bias: p(pre + "ln2.bias"), n: n, c: d, threads: threads)
            linearForward(out: a.fc[l].pointer, inp: a.ln2[l].pointer, weight: p(pre + "fc.weight"), bias: p(pre + "fc.bias"),
                          n: n, c: d, oc: 4 * d, threads: threads, gelu: a.fcGelu[l].pointer)
            linearForward(out: a.residOut[l].pointer, inp: a.fcGelu[l].pointer, weight: p(pre + "out.weight"), bias: p(pre + "out.bias"),
                          n: n, c: 4 * d, oc: d, threads: threads, residual: a.resid2[l].pointer)
        }
        // Final layer norm on the text rows only, then the tied head.
        let last = a.residOut[c.layers - 1].pointer
        for bi in 0..<B { (a.textX.pointer + bi * T * d).update(from: last + (bi * S + P) * d, count: T * d) }
        layerNormForward(out: a.lnf.pointer, mean: a.lnfMean.pointer, rstd: a.lnfRstd.pointer, inp: a.textX.pointer,
                         weight: p("ln.weight"), bias: p("ln.bias"), n: B * T, c: d, threads: threads)
        linearForward(out: a.logits.pointer, inp: a.lnf.pointer, weight: tok, bias: nil, n: B * T, c: d, oc: c.vocab, threads: threads)
        return a
    }

    /// Mean masked cross-entropy of the batch (no gradients).
    public func loss(_ batch: Batch) -> Float {
        let logits = inferenceLogits(batch)
        return batch.targets.withUnsafeBufferPointer { t in
            batch.mask.withUnsafeBufferPointer { m in
                crossEntropyForwardBackward(dlogits: nil, logits: logits, targets: t.baseAddress!, mask: m.baseAddress!,
                                            n: batch.size * batch.time, vocab: config.vocab)
            }
        }
    }

    /// Logits (B, T, V) of the batch, for scoring.
    public func logits(_ batch: Batch) -> [Float] {
        Array(UnsafeBufferPointer(start: inferenceLogits(batch), count: batch.size * batch.time * config.vocab))
    }

    /// Runs the forward pass and lends `body` the (B, T, V) logits without copying them (valid only
    /// inside `body`; the next pass reuses the memory).
    public func withLogits<R>(_ batch: Batch, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let logits = inferenceLogits(batch)
        return try body(UnsafeBufferPointer(start: logits, count: batch.size * batch.time * config.vocab))
    }

    /// The training forward's logits (B, T, V), which `logits` must equal bit for bit (tests).
    public func trainingForwardLogits(_ batch: Batch) -> [Float] {
        Array(UnsafeBufferPointer(start: forward(batch).logits.pointer, count: batch.size * batch.time * config.vocab))
    }
}
