import Compute
import Foundation
import NodeKit
import SyntheticWorld
import TinyVLM

/// Appended to the implementation version of every node type that runs the model or renders the world,
/// so changing the model's arithmetic (`Model.numericsRevision`) or the world's pixels
/// (`Renderer.revision`) invalidates their cached artifacts.
let modelNumerics = "+numerics.\(Model.numericsRevision)+render.\(Renderer.revision)"

/// Shared by every node that trains the model: deterministic batches (a fresh seeded shuffle per
/// epoch), periodic checkpoints in the node's resume directory, progress and loss in the log.
struct TrainingLoop {
    var steps: Int
    var batchSize: Int
    var seed: UInt64
    var checkpointEvery: Int = 100

    /// Batch number `step`: positions step·B … step·B + B − 1 of the concatenated epoch shuffles.
    func batch(_ step: Int, from examples: [Example], tokenizer: Tokenizer, maxText: Int) -> Batch {
        var picked: [Example] = []
        var cachedEpoch = -1
        var order: [Int] = []
        for k in 0..<batchSize {
            let position = step * batchSize + k
            let epoch = position / examples.count
            if epoch != cachedEpoch {
                var rng = SeededRandom(seed: seed &+ UInt64(epoch) &* 7919)
                order = Array(examples.indices).shuffled(using: &rng)
                cachedEpoch = epoch
            }
            picked.append(examples[order[position % examples.count]])
        }
        return Batch(examples: picked, tokenizer: tokenizer, maxText: maxText)
    }

    /// Trains `trainer` to `steps`, resuming from the resume directory's checkpoint when one exists.
    func run(_ trainer: Trainer, examples: [Example], context: NodeContext, label: String) throws {
        guard !examples.isEmpty else { throw NodeError.invalid("\(label): no training examples") }
        let model = trainer.model
        let resumePath = context.resumeDirectory.isEmpty ? nil : context.resumeDirectory + "/train.safetensors"
        if let resumePath, let data = FileManager.default.contents(atPath: resumePath),
           let (saved, state) = try? Checkpoint.decode(Array(data), threads: model.threads), let state,
           saved.parameterCount == model.parameterCount {
            model.load(from: saved)
            trainer.restore(step: state.step, m: state.m, v: state.v)
            context.log("\(label): resuming at step \(state.step) of \(steps)")
        }
        var recent: [Float] = []
        while trainer.step < steps {
            let loss = trainer.train(batch(trainer.step, from: examples, tokenizer: model.tokenizer, maxText: model.config.maxText))
            recent.append(loss)
            if trainer.step % 25 == 0 || trainer.step == steps {
                let mean = recent.reduce(0, +) / Float(recent.count)
                context.progress(Double(trainer.step) / Double(steps), String(format: "%@ step %d loss %.3f", label, trainer.step, mean))
                context.log(String(format: "%@ step %d loss %.4f", label, trainer.step, mean))
                recent = []
            }
            if let resumePath, trainer.step % checkpointEvery == 0, trainer.step < steps {
                try FileManager.default.createDirectory(atPath: context.resumeDirectory, withIntermediateDirectories: true)
                let tmp = resumePath + ".tmp"
                try Data(Checkpoint.encode(model, trainer: trainer)).write(to: URL(fileURLWithPath: tmp))
                _ = rename(tmp, resumePath)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
