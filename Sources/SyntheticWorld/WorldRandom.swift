/// SyntheticWorld: the embedded, procedurally generated visual world — scenes of shapes in a grid,
/// rendered to small RGB images, with questions whose ground truth is known. Pure and deterministic:
/// the same seed gives the same scene, pixels and questions on every machine. It depends only on zlib
/// (for PNG).

/// SplitMix64: a small, fast, statistically sound generator whose whole state is one integer, so every
/// scene and question can be derived from `(seed, index)` without sharing state.
public struct WorldRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for item `index` of stream `stream` under `seed`, independent of every other item.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        var mixer = WorldRandom(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        state = mixer.next() ^ (index &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n without modulo bias worth caring about at these sizes.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
