import SyntheticWorld

/// The training-time error injector for open-ended answers: rewrites an answer with exactly one
/// meaningful error, in the answer's own style and length, to make the worse response of a pair. A wrong
/// shape or colour is another mention's when the answer has one (the confusion of a viewer who sees the
/// values but binds them to the wrong object), else another of the world's; an added object combines
/// the answer's own colours and shapes. No error uses a word the world never draws, so a judge cannot
/// learn to spot an unfamiliar word instead of looking.
/// (The benchmarks' negatives come from other code — `BenchmarkPerturbation` and model samples — so a judge
/// cannot score by recognising this injector's fingerprints.)
public enum ErrorInjector {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// Another shape (another mention's, when one differs).
        case object
        /// Another colour (another mention's, when one differs) or size.
        case attribute
        /// One object becomes several (`2 small red circles`).
        case count
        /// Another row or column.
        case position
        /// An object that is not there is added.
        case addition
        /// A mentioned object is dropped (needs two or more mentions).
        case omission
    }

    /// `answer` with one error of `kind`, or nil when the answer does not parse or the error cannot apply.
    public static func inject(_ kind: Kind, into answer: String, world: WorldConfig = WorldConfig(), rng: inout WorldRandom) -> String? {
        guard var list = MentionList(answer) else { return nil }
        let grid = world.grid
        let i = rng.below(list.mentions.count)
        var m = list.mentions[i]
        let others = list.mentions.indices.filter { $0 != i }.map { list.mentions[$0] }
        switch kind {
        case .object:
            m.shape = borrowed(m.shape, from: others.map(\.shape), else: world.shapes, &rng)
        case .attribute:
            if rng.below(2) == 0 {
                m.colour = borrowed(m.colour, from: others.map(\.colour), else: world.colours, &rng)
            } else {
                m.size = m.size == .small ? .large : .small
            }
        case .count:
            guard m.count == 1 else { return nil }
            m.count = 2 + rng.below(2)
        case .position:
            if let row = m.row, rng.below(2) == 0 {
                m.row = other(row, Array(1...grid), &rng)
            } else {
                m.column = other(m.column, Array(1...grid), &rng)
            }
        case .addition:
            let taken = Set(list.mentions.map { ($0.row ?? 0) * 100 + $0.column })
            let free = (1...grid).flatMap { r in (1...grid).map { (r, $0) } }
                .filter { !taken.contains((list.style == .list ? 0 : $0.0) * 100 + $0.1) }
            guard !free.isEmpty else { return nil }
            let (r, c) = rng.pick(free)
            let colours = Set(list.mentions.map(\.colour)).sorted { $0.rawValue < $1.rawValue }
            let shapes = Set(list.mentions.map(\.shape)).sorted { $0.rawValue < $1.rawValue }
            let added = Mention(size: rng.pick(Size.allCases), colour: rng.pick(colours.count >= 2 ? colours : world.colours),
                                shape: rng.pick(shapes.count >= 2 ? shapes : world.shapes), row: list.style == .list ? nil : r, column: c)
            list.mentions.insert(added, at: rng.below(list.mentions.count + 1))
            return list.text
        case .omission:
            guard list.mentions.count >= 2 else { return nil }
            list.mentions.remove(at: i)
            return list.text
        }
        list.mentions[i] = m
        return list.text
    }

    /// Picks a kind by weight (`mix` maps kind → weight; missing kinds weigh 0) and injects it, trying the
    /// other kinds in order when the chosen one cannot apply.
    /// A kind drawn with probability proportional to its weight in `mix`; nil when no weight is positive.
    public static func draw(_ mix: [Kind: Double], rng: inout WorldRandom) -> Kind? {
        rng.pick(Kind.allCases) { mix[$0] ?? 0 }
    }

    public static func inject(into answer: String, mix: [Kind: Double], world: WorldConfig = WorldConfig(),
                              rng: inout WorldRandom) -> (String, Kind)? {
        let kinds = Kind.allCases.filter { (mix[$0] ?? 0) > 0 }
        guard let first = draw(mix, rng: &rng), let start = kinds.firstIndex(of: first) else { return nil }
        for offset in 0..<kinds.count {
            let kind = kinds[(start + offset) % kinds.count]
            if let out = inject(kind, into: answer, world: world, rng: &rng), out != answer { return (out, kind) }
        }
        return nil
    }

    /// A value other than `value` from `candidates` (another mention's) when there is one, else from `world`.
    static func borrowed<T: Equatable>(_ value: T, from candidates: [T], else world: [T], _ rng: inout WorldRandom) -> T {
        let near = candidates.filter { $0 != value }
        return near.isEmpty ? other(value, world, &rng) : rng.pick(near)
    }

    static func other<T: Equatable>(_ value: T, _ all: [T], _ rng: inout WorldRandom) -> T {
        let choices = all.filter { $0 != value }
        return choices.isEmpty ? value : rng.pick(choices)
    }
}
