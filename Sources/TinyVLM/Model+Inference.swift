import Compute

/// The forward pass when no backward follows (scoring, a held-out loss, the benchmark's forward). Each
/// thread takes a contiguous share of the sequences and runs a few at a time through the whole network
/// against weights packed once per call (`InferenceWeights`), so a chunk's activations stay in the core's
/// cache instead of whole-batch activations streaming through memory layer by layer, and nothing only a
/// backward pass needs (attention probabilities, pre-GELU values) is kept.
///
/// Every row's arithmetic is the training forward's: the same products (a prepacked product is bitwise
/// `GEMM.sgemm`'s, and no product's row depends on another row), attention per (sequence, head) by the same
/// function, the same layer norm and fused epilogues. So the logits equal `forward`'s bit for bit, for any
/// thread count and chunk size (pinned by a test).
extension Model {
    /// (B, T, V) logits of the batch in `inference` buffers, valid until the next pass.
    func inferenceLogits(_ batch: Batch) -> UnsafeMutablePointer<Float> {
        let B = batch.size, T = batch.time
        let logits = inferenceOutput(count: B * T * config.vocab)
        let weights = InferenceWeights(self)
        let parts = max(1, min(threads, B))
        let chunks = (0..<parts).map { inferenceChunk($0, time: T) }
        let shared = UncheckedBox((logits, chunks))
        batch.patches.withUnsafeBufferPointer { patches in
            batch.tokens.withUnsafeBufferPointer { tokens in
                let inputs = UncheckedBox((patches.baseAddress!, tokens.baseAddress!))
                parallelFor(parts, threads: parts) { part in
                    let share = (B * part / parts)..<(B * (part + 1) / parts)
                    let chunk = shared.value.1[part]
                    var first = share.lowerBound
                    while first < share.upperBound {
                        let count = min(InferenceChunk.sequences, share.upperBound - first)
                        chunk.run(sequences: first..<(first + count), patches: inputs.value.0, tokens: inputs.value.1, time: T,
                                  weights: weights, logits: shared.value.0)
                        first += count
                    }
                }
            }
        }
        return logits
    }

    private func inferenceOutput(count: Int) -> UnsafeMutablePointer<Float> {
        if let out = inferenceState.logits, out.count >= count { return out.pointer }
        let out = Buffer(count)
        inferenceState.logits = out
        return out.pointer
    }

    /// Thread `part`'s scratch: the kept one when it holds `time` text positions (scoring batches change
    /// length from call to call, and a shorter one uses the first part of each buffer), else a larger one.
    private func inferenceChunk(_ part: Int, time: Int) -> InferenceChunk {
        let kept = part < inferenceState.chunks.count ? inferenceState.chunks[part] : nil
        if let kept, kept.time >= time { return kept }
        let chunk = InferenceChunk(config, time: max(time, kept?.time ?? 0))
        if kept == nil { inferenceState.chunks.append(chunk) } else { inferenceState.chunks[part] = chunk }
        return chunk
    }
}

/// Buffers the inference pass reuses across calls while the shapes fit.
final class InferenceState {
    var logits: Buffer?
    var chunks: [InferenceChunk] = []
}

/// One thread's scratch for a few sequences at a time.
final class InferenceChunk {
    /// Sequences per chunk: 2 × 144 positions of the reference configuration keep a layer's largest
    /// activation (the MLP's hidden rows, 590 KB) within the 1 MiB L2.
    static let sequences = 2

    let config: ModelConfig
    /// Text positions the buffers hold (for `sequences` sequences of patches + time rows).
    let time: Int
    private let x: Buffer, spare: Buffer, ln: Buffer, qkv: Buffer, y: Buffer, hidden: Buffer, mean: Buffer, rstd: Buffer
    private let att: Buffer, text: Buffer

    init(_ c: ModelConfig, time: Int) {
        config = c
        self.time = time
        let d = c.d, rows = Self.sequences * (c.patches + time)
        x = Buffer(rows * d); spare = Buffer(rows * d); ln = Buffer(rows * d); qkv = Buffer(rows * 3 * d); y = Buffer(rows * d)
        hidden = Buffer(rows * 4 * d); mean = Buffer(rows); rstd = Buffer(rows)
        let s = c.patches + time
        att = Buffer(s * s)
        text = Buffer(Self.sequences * time * d)
    }

    /// Logits rows of `sequences` (of a batch with `time` text positions) into `logits` (B, T, V).
    func run(sequences: Range<Int>, patches: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, time T: Int,
             weights w: InferenceWeights, logits: UnsafeMutablePointer<Float>) {
        let c = config, d = c.d, P = c.patches, S = P + T, n = sequences.count * S
        let x = x.pointer, spare = spare.pointer
        let ln = ln.pointer, qkv = qkv.pointer, y = y.pointer, hidden = hidden.pointer
        // Embeddings, as `forward`: patches through `vis` (its rows in `spare`), tokens through `tok`, plus positions.
        w.embedPatches(out: spare, patches: patches + sequences.lowerBound * P * c.patchFeatures, n: sequences.count * P)
        for (k, bi) in sequences.enumerated() {
            for si in 0..<S {
                let row = x + (k * S + si) * d, pr = w.pos + si * d
                let src = si < P ? UnsafePointer(spare + (k * P + si) * d) : w.tok + Int(tokens[bi * T + si - P]) * d
                for j in 0..<d { row[j] = src[j] + pr[j] }
            }
        }
        let shape = AttentionShape(batch: sequences.count, time: S, channels: d, heads: c.heads,
                                   prefix: c.prefixAttention ? P : 0)
        var rows = BlockRows(x: x, spare: spare, ln: ln, qkv: qkv, y: y, hidden: hidden, mean: mean.pointer, rstd: rstd.pointer)
        for block in w.blocks {
            block.apply(&rows, n: n, d: d) { qkv, y in
                for pair in 0..<(sequences.count * c.heads) {
                    attentionForward(pair: pair, out: y, att: att.pointer, qkv: qkv, shape: shape)
                }
            }
        }
        let last = rows.x
        // Final layer norm on the text rows only, then the tied head.
        let text = text.pointer
        for k in 0..<sequences.count {
            (text + k * T * d).update(from: last + (k * S + P) * d, count: T * d)
        }
        let rowsT = sequences.count * T
        layerNormForward(out: ln, mean: mean.pointer, rstd: rstd.pointer, inp: text, weight: w.lnWeight, bias: w.lnBias, n: rowsT, c: d)
        linearForward(out: logits + sequences.lowerBound * T * c.vocab, inp: ln, weight: w.head, bias: nil, n: rowsT)
    }
}
