import Compute
#if canImport(Glibc)
import Glibc
#endif

/// Next-token training on chosen spans: AdamW, linear warm-up then cosine decay to 10% of the peak
/// rate, global-norm clipping. Its state (step, moments) is checkpointed with the model, so a killed
/// training run resumes exactly where it stopped.
public final class Trainer: @unchecked Sendable {
    public struct Schedule: Codable, Sendable, Equatable {
        public var learningRate: Float
        public var warmup: Int
        public var steps: Int
        public init(learningRate: Float, warmup: Int, steps: Int) {
            self.learningRate = learningRate
            self.warmup = warmup
            self.steps = steps
        }

        public func rate(at step: Int) -> Float {
            if step < warmup { return learningRate * Float(step + 1) / Float(warmup) }
            let progress = Float(step - warmup) / Float(max(1, steps - warmup))
            return learningRate * (0.1 + 0.9 * 0.5 * (1 + cosf(Float.pi * min(1, progress))))
        }
    }

    public let model: Model
    public let schedule: Schedule
    var optimizer: AdamW
    let firstMoment: Buffer
    let secondMoment: Buffer
    let decayMask: Buffer

    public init(model: Model, schedule: Schedule, weightDecay: Float = 0.1, clipNorm: Float = 1) {
        self.model = model
        self.schedule = schedule
        optimizer = AdamW(weightDecay: weightDecay, clipNorm: clipNorm)
        firstMoment = Buffer(model.parameterCount)
        secondMoment = Buffer(model.parameterCount)
        decayMask = Buffer(model.parameterCount)
        for e in model.layout.entries where e.decays { (decayMask.pointer + e.offset).update(repeating: 1, count: e.count) }
    }

    public var step: Int { optimizer.step }

    /// One optimisation step on a batch; returns the loss before the update.
    @discardableResult
    public func train(_ batch: Batch) -> Float {
        let loss = model.lossAndGradients(batch)
        optimizer.update(params: model.parameters.pointer, grads: model.gradients.pointer, m: firstMoment.pointer,
                         v: secondMoment.pointer, decayMask: decayMask.pointer, count: model.parameterCount,
                         lr: schedule.rate(at: optimizer.step))
        return loss
    }

    /// Optimizer state for checkpoints.
    public var state: (step: Int, m: [Float], v: [Float]) { (optimizer.step, firstMoment.array, secondMoment.array) }

    public func restore(step: Int, m: [Float], v: [Float]) {
        optimizer.resume(atStep: step)
        m.withUnsafeBufferPointer { firstMoment.pointer.update(from: $0.baseAddress!, count: min($0.count, firstMoment.count)) }
        v.withUnsafeBufferPointer { secondMoment.pointer.update(from: $0.baseAddress!, count: min($0.count, secondMoment.count)) }
    }
}
