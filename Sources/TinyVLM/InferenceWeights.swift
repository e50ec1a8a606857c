import Compute

/// The model's weights as the chunked passes read them (generation, the inference pass, the training
/// forward): every matrix packed once per call (a decoding step multiplies them by a few rows, too few to
/// pay for packing; a chunk by a few hundred), and every other parameter resolved to a pointer, so the
/// loops do no name lookups.
struct InferenceWeights: @unchecked Sendable {
    struct Block {
        let ln1Weight: UnsafePointer<Float>, ln1Bias: UnsafePointer<Float>
        let qkv: PackedMatrix, qkvBias: UnsafePointer<Float>
        let proj: PackedMatrix, projBias: UnsafePointer<Float>
        let ln2Weight: UnsafePointer<Float>, ln2Bias: UnsafePointer<Float>
        let fc: PackedMatrix, fcBias: UnsafePointer<Float>
        let out: PackedMatrix, outBias: UnsafePointer<Float>
    }

    let blocks: [Block]
    let lnWeight: UnsafePointer<Float>, lnBias: UnsafePointer<Float>
    /// The tied output head: logits = x · tokᵀ.
    let head: PackedMatrix
    let tok: UnsafePointer<Float>, pos: UnsafePointer<Float>
    let visWeight: UnsafePointer<Float>, visBias: UnsafePointer<Float>
    /// The patch stem's hidden layer, when the model has one.
    let stem: (weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, width: Int)?
    let patchFeatures: Int, d: Int

    init(_ model: Model) {
        let d = model.config.d
        func w(_ name: String) -> UnsafePointer<Float> { UnsafePointer(model.p(name)) }
        func packed(_ name: String, out: Int, in k: Int) -> PackedMatrix {
            PackedMatrix(.transposed, k: k, n: out, b: w(name), ldb: k)
        }
        blocks = (0..<model.config.layers).map { l in
            let pre = "blocks.\(l)."
            return Block(ln1Weight: w(pre + "ln1.weight"), ln1Bias: w(pre + "ln1.bias"),
                         qkv: packed(pre + "qkv.weight", out: 3 * d, in: d), qkvBias: w(pre + "qkv.bias"),
                         proj: packed(pre + "proj.weight", out: d, in: d), projBias: w(pre + "proj.bias"),
                         ln2Weight: w(pre + "ln2.weight"), ln2Bias: w(pre + "ln2.bias"),
                         fc: packed(pre + "fc.weight", out: 4 * d, in: d), fcBias: w(pre + "fc.bias"),
                         out: packed(pre + "out.weight", out: d, in: 4 * d), outBias: w(pre + "out.bias"))
        }
        lnWeight = w("ln.weight")
        lnBias = w("ln.bias")
        head = packed("tok.weight", out: model.config.vocab, in: d)
        tok = w("tok.weight")
        pos = w("pos.weight")
        visWeight = w("vis.weight")
        visBias = w("vis.bias")
        stem = model.config.stem.map { (w("stem.weight"), w("stem.bias"), $0) }
        patchFeatures = model.config.patchFeatures
        self.d = d
    }

    /// The embeddings (n, d) of `n` patches (n, F) into `out`, through the stem when there is one — the
    /// one computation every pass (training forward, inference, decoding) makes of an image. `hidden`
    /// and `slope` (n, stem), when given, keep the stem's GELU output and its derivative for the
    /// backward pass; without them a scratch buffer holds the hidden layer.
    func embedPatches(out: UnsafeMutablePointer<Float>, patches: UnsafePointer<Float>, n: Int,
                      hidden: UnsafeMutablePointer<Float>? = nil, slope: UnsafeMutablePointer<Float>? = nil) {
        guard let stem else {
            linearForward(out: out, inp: patches, weight: visWeight, bias: visBias, n: n, c: patchFeatures, oc: d, threads: 1)
            return
        }
        func run(_ h: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>) {
            linearForward(out: s, inp: patches, weight: stem.weight, bias: stem.bias, n: n, c: patchFeatures, oc: stem.width, threads: 1,
                          gelu: h, geluSlope: s)
            linearForward(out: out, inp: h, weight: visWeight, bias: visBias, n: n, c: stem.width, oc: d, threads: 1)
        }
        if let hidden, let slope { return run(hidden, slope) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n * stem.width) { scratch in
            run(scratch.baseAddress!, scratch.baseAddress! + n * stem.width)
        }
    }
}

/// The rows one thread runs through a block: the residual stream `x`, the buffer its next value is
/// written to (`spare`; the two swap after each residual connection), and the block's scratch.
struct BlockRows {
    var x: UnsafeMutablePointer<Float>, spare: UnsafeMutablePointer<Float>
    let ln: UnsafeMutablePointer<Float>, qkv: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let hidden: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
}

extension InferenceWeights.Block {
    /// One pre-LayerNorm block over `n` rows on the calling thread, the arithmetic of `Model.forward`:
    /// layer norm, qkv, `attend` (qkv → y: the caller's attention, over a cache or whole sequences), the
    /// projection plus the residual, layer norm, the MLP with GELU, plus the residual. The new stream ends
    /// in `rows.x`.
    func apply(_ rows: inout BlockRows, n: Int, d: Int, attend: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        queriesKeysValues(rows, n: n, d: d)
        attend(rows.qkv, rows.y)
        linearForward(out: rows.spare, inp: rows.y, weight: proj, bias: projBias, n: n, residual: rows.x)
        swap(&rows.x, &rows.spare)
        layerNormForward(out: rows.ln, mean: rows.mean, rstd: rows.rstd, inp: rows.x, weight: ln2Weight, bias: ln2Bias, n: n, c: d)
        linearForward(out: rows.hidden, inp: rows.ln, weight: fc, bias: fcBias, n: n, gelu: rows.hidden)
        linearForward(out: rows.spare, inp: rows.hidden, weight: out, bias: outBias, n: n, residual: rows.x)
        swap(&rows.x, &rows.spare)
    }

    /// The block's first step alone: layer norm and the qkv product of `n` rows into `rows.qkv`.
    func queriesKeysValues(_ rows: BlockRows, n: Int, d: Int) {
        layerNormForward(out: rows.ln, mean: rows.mean, rstd: rows.rstd, inp: rows.x, weight: ln1Weight, bias: ln1Bias, n: n, c: d)
        linearForward(out: rows.qkv, inp: rows.ln, weight: qkv, bias: qkvBias, n: n)
    }
}
