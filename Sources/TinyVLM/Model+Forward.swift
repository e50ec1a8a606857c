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

    /// Sequences a thread runs through the whole network at a time in the training forward (as
    /// `InferenceChunk.sequences`): their intermediate rows stay in the core's cache from one operation to
    /// the next, where whole-batch operations streamed each activation out to memory and back. (The
    /// threads split the sequences, so a one-sequence batch runs on one thread.)
    static let forwardChunk = 2

    /// Forward pass over a batch; fills the activations (logits included) and returns them. Each thread
    /// takes a contiguous share of the sequences and runs `forwardChunk` at a time through every block,
    /// against weights packed once per pass, writing each activation the backward pass reads into its
    /// rows of the batch's buffers. No row's arithmetic depends on another row (products row by row,
    /// attention per sequence and head), so the values are those of whole-batch operations, for any
    /// thread count.
    @discardableResult
    func forward(_ batch: Batch) -> Activations {
        let B = batch.size
        let a = activations(b: B, t: batch.time)
        let weights = InferenceWeights(self)
        let parts = max(1, min(threads, B))
        batch.patches.withUnsafeBufferPointer { patches in
            batch.tokens.withUnsafeBufferPointer { tokens in
                let inputs = UncheckedBox((patches.baseAddress!, tokens.baseAddress!))
                parallelFor(parts, threads: parts) { part in
                    let share = (B * part / parts)..<(B * (part + 1) / parts)
                    var first = share.lowerBound
                    while first < share.upperBound {
                        let count = min(Self.forwardChunk, share.upperBound - first)
                        forward(first..<(first + count), patches: inputs.value.0, tokens: inputs.value.1, time: batch.time,
                                weights: weights, into: a)
                        first += count
                    }
                }
            }
        }
        return a
    }

    /// The training forward of `sequences` on the calling thread, into their rows of `a`.
    private func forward(_ sequences: Range<Int>, patches: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, time T: Int,
                         weights w: InferenceWeights, into a: Activations) {
        let c = config, d = c.d, P = c.patches, S = a.s, n = sequences.count * S
        let r0 = sequences.lowerBound * S  // the chunk's first row
        func rows(_ buffer: Buffer, _ width: Int = d) -> UnsafeMutablePointer<Float> { buffer.pointer + r0 * width }
        // Embeddings: patches through `vis`, tokens through `tok`, plus positions.
        let stemRows = sequences.lowerBound * P * (c.stem ?? 0)
        w.embedPatches(out: a.visOut.pointer + sequences.lowerBound * P * d, patches: patches + sequences.lowerBound * P * c.patchFeatures,
                       n: sequences.count * P, hidden: a.stemGelu.map { $0.pointer + stemRows }, slope: a.stemSlope.map { $0.pointer + stemRows })
        for bi in sequences {
            for si in 0..<S {
                let row = a.x0.pointer + (bi * S + si) * d, pr = w.pos + si * d
                let src = si < P ? UnsafePointer(a.visOut.pointer + (bi * P + si) * d) : w.tok + Int(tokens[bi * T + si - P]) * d
                for j in 0..<d { row[j] = src[j] + pr[j] }
            }
        }
        let shape = AttentionShape(batch: sequences.count, time: S, channels: d, heads: c.heads, prefix: attentionPrefix)
        for (l, block) in w.blocks.enumerated() {
            let input = rows(l == 0 ? a.x0 : a.residOut[l - 1])
            layerNormForward(out: rows(a.ln1[l]), mean: rows(a.ln1Mean[l], 1), rstd: rows(a.ln1Rstd[l], 1), inp: input,
                             weight: block.ln1Weight, bias: block.ln1Bias, n: n, c: d)
            linearForward(out: rows(a.qkv[l], 3 * d), inp: rows(a.ln1[l]), weight: block.qkv, bias: block.qkvBias, n: n)
            for pair in 0..<(sequences.count * c.heads) {
                attentionForward(pair: pair, out: rows(a.atty[l]), att: a.att[l].pointer + (sequences.lowerBound * c.heads + pair) * S * S,
                                 qkv: rows(a.qkv[l], 3 * d), shape: shape)
            }
            linearForward(out: rows(a.resid2[l]), inp: rows(a.atty[l]), weight: block.proj, bias: block.projBias, n: n, residual: input)
            layerNormForward(out: rows(a.ln2[l]), mean: rows(a.ln2Mean[l], 1), rstd: rows(a.ln2Rstd[l], 1), inp: rows(a.resid2[l]),
                             weight: block.ln2Weight, bias: block.ln2Bias, n: n, c: d)
            // The pre-activation is replaced by its GELU′ in the store: the backward pass needs nothing else of it.
            linearForward(out: rows(a.fcSlope[l], 4 * d), inp: rows(a.ln2[l]), weight: block.fc, bias: block.fcBias, n: n,
                          gelu: rows(a.fcGelu[l], 4 * d), geluSlope: rows(a.fcSlope[l], 4 * d))
            linearForward(out: rows(a.residOut[l]), inp: rows(a.fcGelu[l], 4 * d), weight: block.out, bias: block.outBias, n: n,
                          residual: rows(a.resid2[l]))
        }
        // Final layer norm on the text rows only, then the tied head.
        let last = a.residOut[c.layers - 1].pointer, t0 = sequences.lowerBound * T, textRows = sequences.count * T
        for bi in sequences { (a.textX.pointer + bi * T * d).update(from: last + (bi * S + P) * d, count: T * d) }
        layerNormForward(out: a.lnf.pointer + t0 * d, mean: a.lnfMean.pointer + t0, rstd: a.lnfRstd.pointer + t0,
                         inp: a.textX.pointer + t0 * d, weight: w.lnWeight, bias: w.lnBias, n: textRows, c: d)
        linearForward(out: a.logits.pointer + t0 * c.vocab, inp: a.lnf.pointer + t0 * d, weight: w.head, bias: nil, n: textRows)
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
