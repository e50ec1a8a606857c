import Compute
import Foundation
import NodeKit
import ModelBackend
import SyntheticWorld
import TinyVLM

/// Params every synthesis node shares: which scenes, how many, and the seed that varies per iteration.
enum SynthesisParams {
    static let specs: [ParamSpec] = [
        ParamSpec("seed", .int, default: .int(1), range: ParamRanges.seed, doc: "training world seed"),
        ParamSpec("first_scene", .int, default: .int(100_000), range: 0...1e12,
                  doc: "index of the first scene to ask about (pretraining uses 0 up)"),
        ParamSpec("count", .int, default: .int(256), range: 0...1_000_000, doc: "questions to ask"),
        ParamSpec("iteration", .int, default: .int(1), range: 0...10_000, doc: "loop iteration (selects a fresh slice of scenes)"),
    ] + WorldParams.specs

    /// The model's sampling params, shared by both synthesis nodes.
    static func sampling(temperatureDoc: String) -> [ParamSpec] {
        [ParamSpec("temperature", .double, default: .double(0.6), range: 0...100, doc: temperatureDoc),
         ParamSpec("top_k", .int, default: .int(50), range: 0...1_000_000, doc: "top-k (0 = no limit)"),
         ParamSpec("top_p", .double, default: .double(0.9), range: 0...1, doc: "nucleus mass")]
    }
}
