/// AdamW (decoupled weight decay, as PyTorch's) with global-norm gradient clipping, over one flat
/// parameter buffer. `decayMask` marks which parameters decay (weights yes; biases and norms no).
#if canImport(Glibc)
import Glibc
#endif

public struct AdamW: Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.1
    /// Gradients are scaled so their global L2 norm is at most this (0 disables).
    public var clipNorm: Float = 1
    public private(set) var step = 0

    public init(weightDecay: Float = 0.1, clipNorm: Float = 1) {
        self.weightDecay = weightDecay
        self.clipNorm = clipNorm
    }

    /// The global L2 norm of `grads`, summed in Double in index order (deterministic).
    public static func norm(_ grads: UnsafePointer<Float>, count: Int) -> Float {
        var s = 0.0
        for i in 0..<count { s += Double(grads[i]) * Double(grads[i]) }
        return Float(s.squareRoot())
    }

    /// One update; returns the gradient norm before clipping. m and v hold the moments (zero at start).
    @discardableResult
    public mutating func update(params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                                v: UnsafeMutablePointer<Float>, decayMask: UnsafePointer<Float>, count: Int, lr: Float) -> Float {
        step += 1
        let gradNorm = Self.norm(grads, count: count)
        let clip: Float = clipNorm > 0 && gradNorm > clipNorm ? clipNorm / (gradNorm + 1e-6) : 1
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        for i in 0..<count {
            let g = grads[i] * clip
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            let mh = m[i] / c1, vh = v[i] / c2
            params[i] -= lr * (mh / (vh.squareRoot() + epsilon) + weightDecay * decayMask[i] * params[i])
        }
        return gradNorm
    }

    /// Restores the step count from a checkpoint (the moments are restored by the caller).
    public mutating func resume(atStep step: Int) { self.step = step }
}
