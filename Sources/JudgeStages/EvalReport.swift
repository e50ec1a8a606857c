import JudgeEval

/// What `judge.eval` writes as `metrics`: the judge's scores, the random and longer-response reference
/// judges scored by the same code on the same items, and where the numbers belong.
///
/// `benchmark` and `iteration` came with judge.eval version 2; metrics written before decode with both
/// nil (readers treat a missing iteration as 0 and name a missing benchmark themselves).
public struct EvalReport: Codable, Sendable, Equatable {
    public var judge: BenchmarkMetrics
    public var random: BenchmarkMetrics
    public var longer: BenchmarkMetrics
    public var label: String
    /// The benchmark's style from its `benchmark.json`, else its directory's name.
    public var benchmark: String?
    /// The loop iteration that produced the judge; 0 is the base judge.
    public var iteration: Int?
    /// How a served judge's verdicts were read (nil for the embedded judge, whose verdict is always read
    /// from its logits at a slot constrained to the two verdict words).
    public var verdicts: VerdictTally?

    public init(judge: BenchmarkMetrics, random: BenchmarkMetrics, longer: BenchmarkMetrics, label: String = "",
                benchmark: String? = nil, iteration: Int? = nil) {
        self.judge = judge
        self.random = random
        self.longer = longer
        self.label = label
        self.benchmark = benchmark
        self.iteration = iteration
    }
}
