import NodeKit
import SyntheticWorld

/// What the base model's instruction data asks: question families by weight, and the share of its
/// existence questions that name an absent combination of a colour and a shape the scene shows on other
/// objects (`is there a red circle ?` beside a red square and a blue circle). A random existence question
/// seldom names one, and a model that has not seen them answers `yes` wherever both words match something.
/// `closedWeight` is the loss weight of a closed answer's tokens against a caption's or a list's: a closed
/// answer is one or a few tokens, so at weight 1 the long open answers carry most of the loss.
/// `uniform` is every family at weight 1, no such share and weight 1, the data `model.pretrain` asks by default.
public struct QuestionMix: Sendable, Equatable {
    public var weights: [Question.Family: Double]
    public var absentCombinations: Double
    public var closedWeight: Float
    /// Share of captions that list the objects in a random order rather than row by row.
    public var shuffledCaptions: Double
    /// Share of position questions asked a number at a time ("which row is the circle in ?").
    public var positionParts: Double

    public init(weights: [Question.Family: Double], absentCombinations: Double = 0, closedWeight: Float = 1, shuffledCaptions: Double = 0,
                positionParts: Double = 0) {
        self.weights = weights
        self.absentCombinations = absentCombinations
        self.closedWeight = closedWeight
        self.shuffledCaptions = shuffledCaptions
        self.positionParts = positionParts
    }

    public static let uniform = QuestionMix(weights: Dictionary(uniqueKeysWithValues: Question.Family.allCases.map { ($0, 1.0) }))

    /// A question about `scene`, its family drawn by weight, or nil when the scene cannot support the
    /// family drawn. With equal weights and every share 0 it draws exactly what
    /// `QuestionGenerator` alone would, so the uniform mix's data keeps its bytes.
    public func question(about scene: Scene, rng: inout WorldRandom, vocabulary: WorldConfig) -> Question? {
        guard let family = draw(&rng) else { return nil }
        if family == .existence && absentCombinations > 0 && rng.unit() < absentCombinations,
           let q = BenchmarkPerturbation.absentCombination(in: scene, rng: &rng) {
            return q
        }
        if family == .position && positionParts > 0 && rng.unit() < positionParts {
            return QuestionGenerator.positionPart(about: scene, rng: &rng)
        }
        guard var q = QuestionGenerator.question(family, about: scene, rng: &rng, vocabulary: vocabulary) else { return nil }
        if family == .caption && shuffledCaptions > 0 && rng.unit() < shuffledCaptions {
            q.answer = QuestionGenerator.shuffledCaption(of: scene, rng: &rng)
        }
        return q
    }

    func draw(_ rng: inout WorldRandom) -> Question.Family? {
        let families = Question.Family.allCases.filter { (weights[$0] ?? 0) > 0 }
        guard let first = families.first else { return nil }
        if families.count == Question.Family.allCases.count && families.allSatisfy({ weights[$0] == weights[first] }) {
            return rng.pick(families)
        }
        return rng.pick(families) { weights[$0]! }
    }

    /// The `mix`, `absent_combinations` and `closed_weight` params of a node that writes instruction data;
    /// `prefix` names them apart where the node has other params of those names (`replay_` in `judge.train`).
    public static func specs(prefix: String = "", onlyWith: [(param: String, value: String)] = []) -> [ParamSpec] {
        [ParamSpec(prefix + "mix", .map, default: .map(Dictionary(uniqueKeysWithValues: Question.Family.allCases.map { ($0.rawValue, .int(1)) })),
                   onlyWith: onlyWith, doc: "weight of each question family (a family left out weighs 0): "
                       + Question.Family.allCases.map(\.rawValue).joined(separator: ", ")),
         ParamSpec(prefix + "absent_combinations", .double, default: .double(0), range: 0...1, onlyWith: onlyWith,
                   doc: "share of existence questions that name an absent combination of a colour and a shape the scene shows"),
         ParamSpec(prefix + "closed_weight", .double, default: .double(1), range: 0.01...1000, onlyWith: onlyWith,
                   doc: "loss weight of a closed answer's tokens (and its end) against an open answer's"),
         ParamSpec(prefix + "shuffled_captions", .double, default: .double(0), range: 0...1, onlyWith: onlyWith,
                   doc: "share of captions that list the objects in a random order (the world's go row by row)"),
         ParamSpec(prefix + "position_parts", .double, default: .double(0), range: 0...1, onlyWith: onlyWith,
                   doc: "share of position questions asked a number at a time (\"which row is the circle in ?\")")]
    }

    public static func problems(_ params: [String: Value], prefix: String = "") -> [ParamProblem] {
        let name = prefix + "mix"
        guard let mix = params[name]?.mapValue else { return [] }
        var found: [ParamProblem] = []
        for (family, weight) in mix.sorted(by: { $0.key < $1.key }) {
            if Question.Family(rawValue: family) == nil {
                found.append(ParamProblem(param: name, "unknown question family '\(family)'; families: "
                                          + Question.Family.allCases.map(\.rawValue).joined(separator: ", ")))
            } else if !(weight.doubleValue.map { $0.isFinite && $0 >= 0 } ?? false) {
                found.append(ParamProblem(param: name, "weight of '\(family)' must be a number ≥ 0, found \(weight)"))
            }
        }
        if mix.values.allSatisfy({ ($0.doubleValue ?? 0) == 0 }) {
            found.append(ParamProblem(param: name, "every question family has weight 0: no question can be asked"))
        }
        return found
    }

    public init(_ params: [String: Value], prefix: String = "") throws {
        var weights: [Question.Family: Double] = [:]
        for (name, value) in try params.map(prefix + "mix") {
            guard let family = Question.Family(rawValue: name), let w = value.doubleValue else {
                throw NodeError.invalid("\(prefix)mix: unknown question family '\(name)'")
            }
            weights[family] = w
        }
        self.init(weights: weights, absentCombinations: try params.double(prefix + "absent_combinations"),
                  closedWeight: Float(try params.double(prefix + "closed_weight")),
                  shuffledCaptions: try params.double(prefix + "shuffled_captions"),
                  positionParts: try params.double(prefix + "position_parts"))
    }
}
