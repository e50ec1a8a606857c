import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM

/// A judgement the filter kept, ready to become two training examples. `swappedTrace` is a served
/// judge's reasoning with the responses swapped (nil for the embedded judge, whose trace — its own answer —
/// does not depend on the order).
public struct KeptTrace: Codable, Sendable, Equatable {
    public var scene: Int
    public var family: String
    public var question: String
    public var trace: String
    public var preferred: String
    public var rejected: String
    public var swappedTrace: String? = nil
}
