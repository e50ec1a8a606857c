import Compute

/// The embedded vision-language model: a GPT-2-style decoder (pre-LayerNorm blocks, multi-head
/// attention, 4× MLP with tanh-GELU, learned positions, output head tied to the token embedding) reading
/// 8×8 image patches projected linearly to d and placed before the text — the architecture of
/// ../shared/bench/torch-ref/train_step.py. Parameters and gradients live in flat buffers named by
/// `ParameterLayout`.
public final class Model: @unchecked Sendable {
    public let config: ModelConfig
    public let tokenizer: Tokenizer
    public let layout: ParameterLayout
    let parameters: Buffer
    let gradients: Buffer
    /// Threads for GEMMs and attention; results never depend on it.
    public var threads: Int
    var activations: Activations?
    /// Scratch of the inference pass (Model+Inference.swift), reused across calls.
    let inferenceState = InferenceState()
    /// Key/value cache storage reused across `generate` calls.
    let cachePool = BufferPool()
    /// The key/value cache one decoder keeps at a time (`generate` runs a thread's share in groups of
    /// sequences that fit, at least 16); outputs never depend on it.
    public var decoderCacheBytes = 4 << 20

    /// A fresh model: weights N(0, 0.02) (output-side projections scaled by 1/√(2·layers), as GPT-2),
    /// biases 0, layer-norm gains 1; all from `seed`.
    public convenience init(config: ModelConfig, tokenizer: Tokenizer, seed: UInt64, threads: Int = 1) {
        self.init(config: config, tokenizer: tokenizer, values: [], threads: threads)
        var rng = SeededRandom(seed: seed)
        let residualScale = 1 / Float(2 * config.layers).squareRoot()
        for e in layout.entries {
            let p = parameters.pointer + e.offset
            if e.name.hasSuffix("ln1.weight") || e.name.hasSuffix("ln2.weight") || e.name == "ln.weight" {
                p.update(repeating: 1, count: e.count)
            } else if e.shape.count == 2 {
                let scale: Float = e.name.hasSuffix("proj.weight") || e.name.hasSuffix("out.weight") ? 0.02 * residualScale : 0.02
                for i in 0..<e.count { p[i] = rng.normal() * scale }
            }
        }
    }

    /// A model with given parameter values (from a checkpoint); zeros where `values` is short.
    init(config: ModelConfig, tokenizer: Tokenizer, values: [Float], threads: Int) {
        self.config = config
        self.tokenizer = tokenizer
        self.layout = ParameterLayout(config)
        self.parameters = Buffer(layout.total)
        self.gradients = Buffer(layout.total)
        self.threads = threads
        if !values.isEmpty {
            values.withUnsafeBufferPointer { parameters.pointer.update(from: $0.baseAddress!, count: min($0.count, layout.total)) }
        }
    }

    /// Revision of the arithmetic behind every forward, backward and generation pass (kernels, their
    /// reduction orders). Node types that run the model fold it into their implementation version, so an
    /// artifact made with other arithmetic is never taken from the cache for this one's.
    /// 2: row reductions over eight lanes, blocked causal attention, the head-major decoder (2026-11-26).
    public static let numericsRevision = 2

    public var parameterCount: Int { layout.total }
    public var parameterValues: [Float] { Array(UnsafeBufferPointer(start: parameters.pointer, count: layout.total)) }
    public var gradientValues: [Float] { Array(UnsafeBufferPointer(start: gradients.pointer, count: layout.total)) }

    func p(_ name: String) -> UnsafeMutablePointer<Float> { parameters.pointer + layout.offset(name) }
    func g(_ name: String) -> UnsafeMutablePointer<Float> { gradients.pointer + layout.offset(name) }

    /// Sets one parameter value (finite-difference tests).
    public func setParameter(_ index: Int, _ value: Float) { parameters.pointer[index] = value }
}

extension Model {
    /// Copies another model's parameters (same layout) into this one.
    public func load(from other: Model) {
        parameters.pointer.update(from: other.parameters.pointer, count: min(parameterCount, other.parameterCount))
    }

    /// A new model with this one's config, tokenizer and parameters.
    public func copy(threads: Int? = nil) -> Model {
        Model(config: config, tokenizer: tokenizer, values: parameterValues, threads: threads ?? self.threads)
    }
}
