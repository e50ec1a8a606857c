/// Every parameter lives in one flat Float buffer; this layout names each slice with the dotted path
/// the PyTorch reference uses (`blocks.0.attn` → `blocks.0.qkv.weight`, …), shared by the optimizer,
/// checkpoints and the cross-check script.
public struct ParameterLayout: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Weight matrices and embeddings decay; biases and layer-norm parameters do not.
        public var decays: Bool { shape.count == 2 }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var total = 0
    private var index: [String: Int] = [:]

    public init(_ config: ModelConfig) {
        let d = config.d
        add("tok.weight", [config.vocab, d])
        add("pos.weight", [config.positions, d])
        if let stem = config.stem {
            add("stem.weight", [stem, config.patchFeatures])
            add("stem.bias", [stem])
        }
        add("vis.weight", [d, config.visInputs])
        add("vis.bias", [d])
        for l in 0..<config.layers {
            let p = "blocks.\(l)."
            add(p + "ln1.weight", [d]); add(p + "ln1.bias", [d])
            add(p + "qkv.weight", [3 * d, d]); add(p + "qkv.bias", [3 * d])
            add(p + "proj.weight", [d, d]); add(p + "proj.bias", [d])
            add(p + "ln2.weight", [d]); add(p + "ln2.bias", [d])
            add(p + "fc.weight", [4 * d, d]); add(p + "fc.bias", [4 * d])
            add(p + "out.weight", [d, 4 * d]); add(p + "out.bias", [d])
        }
        add("ln.weight", [d]); add("ln.bias", [d])
    }

    private mutating func add(_ name: String, _ shape: [Int]) {
        index[name] = entries.count
        entries.append(Entry(name: name, shape: shape, offset: total))
        total += shape.reduce(1, *)
    }

    public func offset(_ name: String) -> Int { entries[index[name]!].offset }
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }
}
