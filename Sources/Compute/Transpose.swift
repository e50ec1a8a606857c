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
