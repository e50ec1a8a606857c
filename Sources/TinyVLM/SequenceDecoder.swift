import Compute

/// One thread's share of a `generate` call: its sequences' key/value cache and the scratch rows of a
/// decoding step, allocated once and reused at every step. A step runs some new positions (the prompts
/// at prefill, one token per sequence afterwards) through every block on the calling thread; every
/// row's arithmetic depends only on that row and its own sequence's cache, so outputs do not depend on
/// which sequences share a decoder or how many decoders run.
final class SequenceDecoder {
    let config: ModelConfig
    let weights: InferenceWeights
    let cache: KVCache
    private var capacity = 0
    private var x = Buffer(1), ln = Buffer(1), qkv = Buffer(1), y = Buffer(1), tmp = Buffer(1), hidden = Buffer(1)
    private var mean = Buffer(1), rstd = Buffer(1)
    private let scores: Buffer
    /// (rows that predict a next token, vocab) logits of the last step.
    private(set) var logits = Buffer(1)

    init(config: ModelConfig, weights: InferenceWeights, sequences: Int, pool: BufferPool) {
        self.config = config
        self.weights = weights
        cache = KVCache(config: config, sequences: sequences, pool: pool)
        scores = Buffer(cache.stride)
    }

    /// Scratch for `rows` rows at a time and logits for `predicting` of them.
    private func reserve(rows: Int, predicting: Int) {
        let d = config.d
        if rows > capacity {
            capacity = rows
            x = Buffer(rows * d); ln = Buffer(rows * d); qkv = Buffer(rows * 3 * d); y = Buffer(rows * d); tmp = Buffer(rows * d)
            hidden = Buffer(rows * 4 * d); mean = Buffer(rows); rstd = Buffer(rows)
        }
        if predicting * config.vocab > logits.count { logits = Buffer(predicting * config.vocab) }
    }

    /// Sequences prefilled together: a chunk's activations (the MLP's hidden rows are 4·d floats each)
    /// stay in the core's cache between the layers; a thread's whole share of prompts did not fit.
    static let prefillChunk = 2

    /// Prefill: patches then prompt of each listed sequence (all prompts of one length), from position 0,
    /// `prefillChunk` sequences at a time. Afterwards `logits` row k predicts the token after sequence
    /// `sequences[k]`'s prompt.
    func prefill(_ sequences: [Int], patches: [[Float]], prompts: [[Int32]]) {
        let P = config.patches, rows = P + prompts[0].count, chunk = Self.prefillChunk
        reserve(rows: min(sequences.count, chunk) * rows, predicting: sequences.count)
        for start in Swift.stride(from: 0, to: sequences.count, by: chunk) {
            let members = start..<min(start + chunk, sequences.count)
            prefill(Array(sequences[members]), patches: Array(patches[members]), prompts: Array(prompts[members]), rows: rows,
                    logitsRow: start)
        }
        for s in sequences { cache.length[s] = rows }
    }

    private func prefill(_ sequences: [Int], patches: [[Float]], prompts: [[Int32]], rows: Int, logitsRow: Int) {
        let d = config.d, P = config.patches
        for k in sequences.indices {
            let base = x.pointer + k * rows * d
            patches[k].withUnsafeBufferPointer { pp in
                weights.embedPatches(out: base, patches: pp.baseAddress!, n: P)
            }
            for r in 0..<rows {
                let row = base + r * d, position = weights.pos + r * d
                if r < P {
                    for j in 0..<d { row[j] += position[j] }
                } else {
                    let embedding = weights.tok + Int(prompts[k][r - P]) * d
                    for j in 0..<d { row[j] = embedding[j] + position[j] }
                }
            }
        }
        run(sequences.flatMap { s in (0..<rows).map { (s, $0) } }, rowsPerSequence: rows, logitsRow: logitsRow)
    }

    /// One token for each listed sequence, at its next position. Afterwards `logits` row k predicts the
    /// token after `tokens[k]`.
    func advance(_ sequences: [Int], tokens: [Int32]) {
        let d = config.d
        reserve(rows: sequences.count, predicting: sequences.count)
        for (k, s) in sequences.enumerated() {
            let row = x.pointer + k * d
            let embedding = weights.tok + Int(tokens[k]) * d, position = weights.pos + cache.length[s] * d
            for j in 0..<d { row[j] = embedding[j] + position[j] }
        }
        run(sequences.map { ($0, cache.length[$0]) }, rowsPerSequence: 1, logitsRow: 0)
        for s in sequences { cache.length[s] += 1 }
    }

    /// Runs the rows in `x` (grouped by sequence, `rowsPerSequence` each) through every block, then the
    /// final norm and tied head on each sequence's last row, into `logits` from row `logitsRow`. In the
    /// last block, later positions need every row's key and value but only each sequence's last row goes
    /// on to the head: the other rows stop after their qkv product (at prefill, three quarters of that
    /// block's work). A row's arithmetic does not depend on the rows beside it, so the logits are the
    /// ones the whole block would give.
    private func run(_ rows: [(sequence: Int, position: Int)], rowsPerSequence: Int, logitsRow: Int) {
        let c = config, d = c.d, hs = d / c.heads
        let prefix = c.prefixAttention ? c.patches : 0
        let scale = 1 / Float(hs).squareRoot()
        var block = BlockRows(x: x.pointer, spare: tmp.pointer, ln: ln.pointer, qkv: qkv.pointer, y: y.pointer,
                              hidden: hidden.pointer, mean: mean.pointer, rstd: rstd.pointer)
        func store(_ rows: [(sequence: Int, position: Int)], layer l: Int, qkv: UnsafePointer<Float>) {
            for (r, row) in rows.enumerated() {
                cache.store(layer: l, sequence: row.sequence, position: row.position,
                            key: qkv + r * 3 * d + d, value: qkv + r * 3 * d + 2 * d)
            }
        }
        var active = rows
        for (l, w) in weights.blocks.enumerated() {
            // The last block at prefill: every row's key and value stored, then only last rows go on.
            let lastRowsOnly = l == c.layers - 1 && rowsPerSequence > 1
            if lastRowsOnly {
                w.queriesKeysValues(block, n: active.count, d: d)
                store(active, layer: l, qkv: block.qkv)
                let sequences = active.count / rowsPerSequence
                for k in 0..<sequences {
                    (block.x + k * d).update(from: block.x + ((k + 1) * rowsPerSequence - 1) * d, count: d)
                }
                active = (0..<sequences).map { active[($0 + 1) * rowsPerSequence - 1] }
            }
            w.apply(&block, n: active.count, d: d) { qkv, y in
                if !lastRowsOnly { store(active, layer: l, qkv: qkv) }
                for (r, row) in active.enumerated() {
                    let visible = max(row.position + 1, prefix)
                    for h in 0..<c.heads {
                        cache.attend(query: qkv + r * 3 * d + h * hs, layer: l, sequence: row.sequence, head: h, visible: visible,
                                     scale: scale, scores: scores.pointer, out: y + r * d + h * hs)
                    }
                }
            }
        }
        let x = block.x, spare = block.spare, ln = ln.pointer
        // Only each sequence's last row predicts a next token (the last block kept only those when it could).
        let sequences = rows.count / rowsPerSequence, step = active.count / sequences
        for k in 0..<sequences { spare.advanced(by: k * d).update(from: x + ((k + 1) * step - 1) * d, count: d) }
        layerNormForward(out: ln, mean: mean.pointer, rstd: rstd.pointer, inp: spare, weight: weights.lnWeight, bias: weights.lnBias,
                         n: sequences, c: d)
        linearForward(out: logits.pointer + logitsRow * c.vocab, inp: ln, weight: weights.head, bias: nil, n: sequences)
    }
}
