/// Ranges several node types share, so a seed or a learning rate is bounded the same way everywhere.
enum ParamRanges {
    /// Seeds become the generators' UInt64: any non-negative int.
    static let seed: ClosedRange<Double> = 0...Double(Int.max)
    static let steps: ClosedRange<Double> = 0...10_000_000
    static let batch: ClosedRange<Double> = 1...65_536
    static let learningRate: ClosedRange<Double> = 0...10
}
