/// Saved activations of one forward pass over a (B, T) batch, sized for up to `capacity` text positions and
/// reused for any shorter batch of B sequences: a (B, T) pass uses the first B·S rows of each buffer (S =
/// P + T positions; shapes are in the comments). Every value a pass reads it has written first, so
/// nothing depends on what an earlier, longer batch left in the rest.
final class Activations {
    let b: Int, capacity: Int, patches: Int
    private(set) var t: Int, s: Int

    func use(t: Int) {
        precondition(t <= capacity)
        self.t = t
        s = patches + t
    }

    let visOut: Buffer            // (B·P, d)
    let stemSlope: Buffer?, stemGelu: Buffer?, dStem: Buffer?  // (B·P, stem): the patch stem's GELU′, GELU, gradient
    let x0: Buffer                // (B, S, d) embeddings
    let ln1: [Buffer], ln1Mean: [Buffer], ln1Rstd: [Buffer]       // (B, S, d), (B, S)
    let qkv: [Buffer]             // (B, S, 3d)
    let att: [Buffer]             // (B, NH, S, S)
    let atty: [Buffer]            // (B, S, d) attention output before proj
    let resid2: [Buffer]          // (B, S, d) after the attention residual
    let ln2: [Buffer], ln2Mean: [Buffer], ln2Rstd: [Buffer]
    let fcSlope: [Buffer], fcGelu: [Buffer]  // (B, S, 4d): GELU′ of the hidden layer's pre-activation, and GELU of it
    let residOut: [Buffer]        // (B, S, d) block outputs
    let textX: Buffer             // (B·T, d) text rows of the last block output
    let lnf: Buffer, lnfMean: Buffer, lnfRstd: Buffer  // (B·T, d), (B·T)
    let logits: Buffer            // (B·T, V)
    // Gradient scratch.
    let dResid: Buffer, dLn: Buffer, dQkv: Buffer, dAtty: Buffer, dFc: Buffer
    let dLogits: Buffer, dLnf: Buffer, dTextX: Buffer

    init(_ c: ModelConfig, b: Int, t: Int) {
        self.b = b
        capacity = t
        patches = c.patches
        self.t = t
        s = c.patches + t
        let d = c.d, n = b * s, L = c.layers
        func many(_ count: Int) -> [Buffer] { (0..<L).map { _ in Buffer(count) } }
        visOut = Buffer(b * c.patches * d)
        stemSlope = c.stem.map { Buffer(b * c.patches * $0) }
        stemGelu = c.stem.map { Buffer(b * c.patches * $0) }
        dStem = c.stem.map { Buffer(b * c.patches * $0) }
        x0 = Buffer(n * d)
        ln1 = many(n * d); ln1Mean = many(n); ln1Rstd = many(n)
        qkv = many(n * 3 * d)
        att = many(b * c.heads * s * s)
        atty = many(n * d)
        resid2 = many(n * d)
        ln2 = many(n * d); ln2Mean = many(n); ln2Rstd = many(n)
        fcSlope = many(n * 4 * d); fcGelu = many(n * 4 * d)
        residOut = many(n * d)
        textX = Buffer(b * t * d)
        lnf = Buffer(b * t * d); lnfMean = Buffer(b * t); lnfRstd = Buffer(b * t)
        logits = Buffer(b * t * c.vocab)
        dResid = Buffer(n * d); dLn = Buffer(n * d); dQkv = Buffer(n * 3 * d)
        dAtty = Buffer(n * d); dFc = Buffer(n * 4 * d)
        dLogits = Buffer(b * t * c.vocab); dLnf = Buffer(b * t * d); dTextX = Buffer(b * t * d)
    }
}
