/// The world's random source: Compute's `SeededRandom` (SplitMix64) plus the helpers scene and question
/// generation need, and streams derived from `(seed, stream, index)` so every scene and question can be
/// drawn independently of every other.
public struct WorldRandom: RandomNumberGenerator, Sendable {
    private var core: SeededRandom

    public init(seed: UInt64) { core = SeededRandom(seed: seed) }

    /// A generator for item `index` of stream `stream` under `seed`, independent of every other item.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        var mixer = SeededRandom(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        core = SeededRandom(seed: mixer.next() ^ (index &* 0xD1B5_4A32_D192_ED03))
    }

    public mutating func next() -> UInt64 { core.next() }

    /// Uniform in 0..<n (modulo bias is negligible at these sizes).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// One of `items`, drawn with probability proportional to `weight` (an item weighing 0 never); nil,
    /// drawing nothing, when no item weighs more than 0.
    public mutating func pick<T>(_ items: [T], weight: (T) -> Double) -> T? {
        let weighted = items.filter { weight($0) > 0 }
        let total = weighted.reduce(0.0) { $0 + weight($1) }
        guard total > 0 else { return nil }
        var x = unit() * total
        for item in weighted {
            x -= weight(item)
            if x < 0 { return item }
        }
        return weighted.last
    }
}

import Compute
