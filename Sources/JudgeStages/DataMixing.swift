import SyntheticWorld

/// Mixing earlier iterations' kept examples into this iteration's training set ("sampled from each
/// iteration"; the paper does not publish the rule, so it is a parameter).
///
/// With `share` s in [0, 1): the set is all of this iteration's n examples plus m = round(n·s/(1−s))
/// examples drawn without replacement from earlier iterations, spread evenly across them, so earlier
/// data makes up a fraction s of the whole (capped by what exists).
public enum DataMixing {
    public static func mix<T>(current: [T], earlier: [[T]], share: Double, rng: inout WorldRandom) -> [T] {
        guard share > 0, share < 1, !earlier.isEmpty, !current.isEmpty else { return current }
        let wanted = added(to: current.count, share: share)
        var picked: [T] = []
        var pools = earlier.map { pool in pool.shuffled(using: &rng) }
        var k = 0
        while picked.count < wanted, pools.contains(where: { !$0.isEmpty }) {
            if !pools[k % pools.count].isEmpty { picked.append(pools[k % pools.count].removeLast()) }
            k += 1
        }
        return current + picked
    }

    /// How many examples to add to `count` so the added ones are a fraction `share` of the whole:
    /// round(count·share/(1−share)); 0 when `share` is outside (0, 1).
    public static func added(to count: Int, share: Double) -> Int {
        guard share > 0, share < 1 else { return 0 }
        return Int((Double(count) * share / (1 - share)).rounded())
    }
}
