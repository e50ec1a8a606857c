import Compute
import Foundation
import TinyVLM

/// `judgeflow-bench crosscheck-dump DIR`: writes a randomly initialised model (the reference
/// configuration, causal attention) as `model.safetensors`, a batch of random images and tokens, and the
/// logits JudgeFlow computes for them, for bench/model/crosscheck.py to compare against PyTorch.
enum CrossCheckDump {
    static func run(_ args: [String]) throws(BenchError) {
        guard let dir = args.first else { throw .usage("crosscheck-dump needs an output directory") }
        let config = ModelConfig(vocab: 512, d: 128, layers: 4, heads: 4, maxText: 32, imageSize: 32)
        let model = Model(config: config, tokenizer: Tokenizer(vocabulary: (0..<507).map { "w\($0)" }), seed: 3, threads: 2)
        var rng = SeededRandom(seed: 11)
        // Non-default values everywhere (biases and norms too), so every parameter is exercised.
        for i in 0..<model.parameterCount { model.setParameter(i, model.parameterValues[i] + rng.normal() * 0.05) }
        let b = 2, t = config.maxText, size = config.imageSize
        let pixels = (0..<(b * size * size * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let tokens = (0..<(b * t)).map { _ in Int32(rng.next() % 512) }
        var patches: [Float] = []
        for i in 0..<b { patches += Patches.features(rgb: Array(pixels[(i * size * size * 3)..<((i + 1) * size * size * 3)]), size: size, patch: 8) }
        let logits = model.logits(Batch(size: b, time: t, patches: patches, tokens: tokens, targets: tokens,
                                        mask: Array(repeating: 0, count: b * t)))
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: dir + "/model.safetensors"))
            try Data(pixels).write(to: URL(fileURLWithPath: dir + "/images_hwc_u8.bin"))
            try Data(tokens.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }).write(to: URL(fileURLWithPath: dir + "/tokens_i32.bin"))
            try Data(logits.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }).write(to: URL(fileURLWithPath: dir + "/logits_f32.bin"))
            let meta = "{\"batch\": \(b), \"text\": \(t), \"image\": \(size), \"vocab\": 512, \"d\": 128, \"layers\": 4, \"heads\": 4}"
            try Data(meta.utf8).write(to: URL(fileURLWithPath: dir + "/meta.json"))
        } catch {
            throw .usage("cannot write to \(dir): \(error.localizedDescription)")
        }
        print("wrote \(dir)")
    }
}
