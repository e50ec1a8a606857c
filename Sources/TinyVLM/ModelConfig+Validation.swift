/// The bounds a model's shape must keep. A config comes from a node's params or from a checkpoint file
/// (untrusted), and TinyVLM is built with -Ounchecked: every size below is used in divisions and as an
/// allocation or loop bound, so a config is checked here before any of that happens.
extension ModelConfig {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// A field outside its allowed range (named as in the checkpoint's config JSON).
        case outOfRange(field: String, value: Int, allowed: ClosedRange<Int>)
        case patchDoesNotDivide(patch: Int, imageSize: Int)
        case headsDoNotDivide(d: Int, heads: Int)
        case tooManyPositions(Int, limit: Int)
        case tooManyParameters(Int, limit: Int)

        public var description: String {
            switch self {
            case .outOfRange(let field, let value, let allowed):
                "\(field) \(value) must be in \(allowed.lowerBound)…\(allowed.upperBound)"
            case .patchDoesNotDivide(let patch, let imageSize):
                "patch \(patch) must be positive and divide imageSize \(imageSize)"
            case .headsDoNotDivide(let d, let heads):
                "d \(d) must be divisible by heads \(heads)"
            case .tooManyPositions(let positions, let limit):
                "(imageSize / patch)² + maxText = \(positions) positions; at most \(limit)"
            case .tooManyParameters(let count, let limit):
                "the shape has \(count) parameters; at most \(limit)"
            }
        }
    }

    public static let maxPositions = 8192
    /// 2^28 floats: 1 GiB of parameters and as much again of gradients.
    public static let maxParameters = 1 << 28

    /// Throws the first bound the config breaks. The ranges lie far above any model this CPU trains and
    /// low enough that no size computed from them overflows, so a config that passes gives a
    /// `ParameterLayout` whose sizes and offsets are exact.
    public func validate() throws(Problem) {
        func check(_ field: String, _ value: Int, _ allowed: ClosedRange<Int>) throws(Problem) {
            guard allowed.contains(value) else { throw .outOfRange(field: field, value: value, allowed: allowed) }
        }
        try check("vocab", vocab, 6...(1 << 18))
        try check("d", d, 4...4096)
        try check("layers", layers, 1...128)
        try check("heads", heads, 1...4096)
        try check("maxText", maxText, 2...4096)
        try check("imageSize", imageSize, 1...4096)
        if let stem { try check("stem", stem, 1...65536) }
        guard patch > 0, patch <= imageSize, imageSize % patch == 0 else { throw .patchDoesNotDivide(patch: patch, imageSize: imageSize) }
        guard d % heads == 0 else { throw .headsDoNotDivide(d: d, heads: heads) }
        guard positions <= Self.maxPositions else { throw .tooManyPositions(positions, limit: Self.maxPositions) }
        guard parameterCount <= Self.maxParameters else { throw .tooManyParameters(parameterCount, limit: Self.maxParameters) }
    }

    /// The floats `ParameterLayout` allocates for this shape, without building the layout: tok, pos, the
    /// stem if any, vis and its bias, 12·d² + 13·d a layer, the final norm (each term below 2^40 in the
    /// ranges above).
    public var parameterCount: Int {
        vocab * d + positions * d + (stem.map { $0 * patchFeatures + $0 } ?? 0) + d * visInputs + d
            + layers * (12 * d * d + 13 * d) + 2 * d
    }
}
