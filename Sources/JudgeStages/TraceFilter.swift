import Foundation
import SyntheticWorld

/// Which judge traces to keep: the verdict must agree with the synthetic preference.
///
/// A judgement of a pair holds the judge's verdict margin in each order: `straight` is
/// logP(first) − logP(second) with the preferred response shown first, `swapped` the same with it shown
/// second. Rules:
/// - `positionFree` (default): the judge prefers the preferred response when `straight − swapped > 0`, which
///   cancels any constant bias towards a slot (an untrained judge's bias otherwise starves the filter);
/// - `bothOrders`: the paper's rule — the raw verdict is right in both orders (`straight > 0 && swapped < 0`);
/// - `eitherOrder`: right in at least one order;
/// - `all`: keep every pair whatever the verdict (the oracle arm, whose labels are ground truth).
public enum AgreementRule: String, CaseIterable, Codable, Sendable {
    case positionFree = "position-free", bothOrders = "both-orders", eitherOrder = "either-order", all

    public func agrees(straight: Double, swapped: Double) -> Bool {
        switch self {
        case .positionFree: straight - swapped > 0
        case .bothOrders: straight > 0 && swapped < 0
        case .eitherOrder: straight > 0 || swapped < 0
        case .all: true
        }
    }
}

public enum TraceFilter {
    /// Indices of kept judgements. Each kept pair yields one training example per order — one labelled
    /// `first`, one `second` — so the kept set is balanced between A and B by construction.
    public static func kept(_ margins: [(straight: Double, swapped: Double)], rule: AgreementRule) -> [Int] {
        margins.indices.filter { rule.agrees(straight: margins[$0].straight, swapped: margins[$0].swapped) }
    }

    /// The scored traces that agree (by `rule`, and with `consistent` also by `TraceConsistency`), in their
    /// order, with per-family counts of pairs seen and kept.
    public static func keep(_ scored: [ScoredTrace], rule: AgreementRule, consistent: Bool)
        -> (kept: [KeptTrace], totals: [String: (seen: Int, kept: Int)]) {
        var kept: [KeptTrace] = []
        var totals: [String: (seen: Int, kept: Int)] = [:]
        for s in scored {
            let pair = s.pair
            let agrees = rule.agrees(straight: Double(s.straight), swapped: Double(s.swapped))
                && (!consistent || TraceConsistency.consistent(trace: s.trace, with: pair))
            totals[pair.family, default: (0, 0)].seen += 1
            if agrees {
                totals[pair.family, default: (0, 0)].kept += 1
                kept.append(KeptTrace(scene: pair.scene, family: pair.family, question: pair.question, trace: s.trace,
                                      preferred: pair.preferred, rejected: pair.rejected, swappedTrace: s.swappedTrace))
            }
        }
        return (kept, totals)
    }
}

/// One judged pair as `judge.traces` writes it: the pair, the judge's trace, and its verdict margin in
/// each order (`straight` with the preferred response first, `swapped` with it second). A served judge
/// reasons once per order: `trace` is the straight order's, `swappedTrace` the swapped one's.
public struct ScoredTrace: Codable, Sendable, Equatable {
    public var pair: Pair
    public var trace: String
    public var straight: Float
    public var swapped: Float
    public var swappedTrace: String? = nil
}

/// A trace that reaches the verdict for the right reason. The judge's trace is its own answer; on a
/// closed-ended pair (one short answer) a verdict that agrees with the synthetic preference while the
/// trace is some other answer — or a malformed one — agrees by luck or by an answer prior, and training on
/// it teaches the judge to trust something other than its own check (and, through the trace loss, reinforces
/// the malformed answer). Open-ended pairs (captions, row lists) are always consistent: their preferred
/// answer is sampled, so it rarely equals the greedy trace word for word.
public enum TraceConsistency {
    public static func consistent(trace: String, with pair: Pair) -> Bool {
        guard let family = Question.Family(rawValue: pair.family), !family.isOpenEnded else { return true }
        return trace.trimmingCharacters(in: .whitespaces) == pair.preferred.trimmingCharacters(in: .whitespaces)
    }
}
