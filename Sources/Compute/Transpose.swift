/// Compute: Float32 tensors, a hand-tuned SIMD GEMM, and the forward/backward kernels a small
/// transformer needs (embedding, layer norm, GELU, softmax, attention, cross-entropy, AdamW). It depends
/// on nothing else in JudgeFlow. Every kernel is deterministic: results are bitwise identical for any
/// thread count, because each output element is reduced by one thread in a fixed order.

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed

    /// `NN`, `NT`, `TN`, `TT` → (op(A), op(B)).
    public static func pair(_ text: String) -> (Transpose, Transpose)? {
        switch text.uppercased() {
        case "NN": (.none, .none)
        case "NT": (.none, .transposed)
        case "TN": (.transposed, .none)
        case "TT": (.transposed, .transposed)
        default: nil
        }
    }
}
