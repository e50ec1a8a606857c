/// The model's shape. Stored in every checkpoint's metadata.
public struct ModelConfig: Codable, Sendable, Equatable {
    public var vocab: Int
    public var d: Int
    public var layers: Int
    public var heads: Int
    /// Text positions (the longest prompt + answer).
    public var maxText: Int
    /// Image side in pixels (square RGB), cut into `patch`×`patch` patches.
    public var imageSize: Int
    public var patch: Int = 8
    /// True: the image patches attend to each other bidirectionally; false: fully causal (as the PyTorch reference).
    public var prefixAttention: Bool = false
    /// Width of the patch stem's hidden layer: each patch goes through `stem` (F→stem) and a GELU before
    /// `vis` (stem→d), so a patch's embedding can depend on its pixels nonlinearly (a shape, whatever its
    /// colour). Nil: `vis` reads the pixels directly (F→d), and the checkpoint's config has no `stem`.
    public var stem: Int?

    public init(vocab: Int, d: Int, layers: Int, heads: Int, maxText: Int, imageSize: Int, patch: Int = 8, prefixAttention: Bool = false,
                stem: Int? = nil) {
        self.vocab = vocab
        self.d = d
        self.layers = layers
        self.heads = heads
        self.maxText = maxText
        self.imageSize = imageSize
        self.patch = patch
        self.prefixAttention = prefixAttention
        self.stem = stem
    }

    public var patches: Int { (imageSize / patch) * (imageSize / patch) }
    public var patchFeatures: Int { 3 * patch * patch }
    /// What `vis` reads per patch: the stem's hidden units, or the pixels.
    public var visInputs: Int { stem ?? patchFeatures }
    public var positions: Int { patches + maxText }

    /// Nil if valid, else what is wrong (`validate()` as text).
    public var problem: String? {
        do { try validate() } catch { return error.description }
        return nil
    }
}
