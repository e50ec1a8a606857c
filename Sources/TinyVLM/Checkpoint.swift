import Foundation

/// Checkpoints as safetensors: every parameter under its dotted name, and in `__metadata__` the format
/// version, the config and the tokenizer (JSON), so a checkpoint is self-contained. A training
/// checkpoint also holds the optimizer moments (`optimizer.m.*`, `optimizer.v.*`) and step.
public enum Checkpoint {
    public static let formatVersion = "1"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "checkpoint: \(message)" }
    }

    public static func encode(_ model: Model, trainer: Trainer? = nil) -> [UInt8] {
        var tensors: [String: SafeTensors.Tensor] = [:]
        let values = model.parameterValues
        for e in model.layout.entries {
            tensors[e.name] = SafeTensors.Tensor(shape: e.shape, values: Array(values[e.offset..<(e.offset + e.count)]))
        }
        var metadata = ["format": "judgeflow-tinyvlm", "version": formatVersion,
                        "config": json(model.config), "tokenizer": json(model.tokenizer)]
        if let trainer {
            let (step, m, v) = trainer.state
            metadata["optimizer_step"] = String(step)
            for e in model.layout.entries {
                tensors["optimizer.m." + e.name] = SafeTensors.Tensor(shape: e.shape, values: Array(m[e.offset..<(e.offset + e.count)]))
                tensors["optimizer.v." + e.name] = SafeTensors.Tensor(shape: e.shape, values: Array(v[e.offset..<(e.offset + e.count)]))
            }
        }
        return SafeTensors.encode(tensors, metadata: metadata)
    }

    /// The model, and the optimizer state if the checkpoint holds one.
    public static func decode(_ bytes: [UInt8], threads: Int) throws(Failure) -> (Model, (step: Int, m: [Float], v: [Float])?) {
        let (tensors, metadata): ([String: SafeTensors.Tensor], [String: String])
        do { (tensors, metadata) = try SafeTensors.decode(bytes) } catch { throw Failure(message: error.description) }
        guard metadata["format"] == "judgeflow-tinyvlm", metadata["version"] == formatVersion,
              let config = metadata["config"].flatMap({ try? JSONDecoder().decode(ModelConfig.self, from: Data($0.utf8)) }),
              let tokenizer = metadata["tokenizer"].flatMap({ try? JSONDecoder().decode(Tokenizer.self, from: Data($0.utf8)) }) else {
            throw Failure(message: "not a JudgeFlow TinyVLM checkpoint of version \(formatVersion)")
        }
        if let problem = config.problem { throw Failure(message: "bad config: \(problem)") }
        let layout = ParameterLayout(config)
        var values = [Float](repeating: 0, count: layout.total)
        var m = values, v = values
        let hasOptimizer = metadata["optimizer_step"] != nil
        for e in layout.entries {
            guard let t = tensors[e.name], t.shape == e.shape else { throw Failure(message: "tensor '\(e.name)' is missing or misshapen") }
            values.replaceSubrange(e.offset..<(e.offset + e.count), with: t.values)
            if hasOptimizer {
                guard let tm = tensors["optimizer.m." + e.name], let tv = tensors["optimizer.v." + e.name] else {
                    throw Failure(message: "optimizer state for '\(e.name)' is missing")
                }
                m.replaceSubrange(e.offset..<(e.offset + e.count), with: tm.values)
                v.replaceSubrange(e.offset..<(e.offset + e.count), with: tv.values)
            }
        }
        let model = Model(config: config, tokenizer: tokenizer, values: values, threads: threads)
        let state = hasOptimizer ? (Int(metadata["optimizer_step"]!) ?? 0, m, v) : nil
        return (model, state)
    }

    public static func load(_ path: String, threads: Int) throws(Failure) -> Model {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(message: "cannot read \(path)") }
        return try decode(Array(data), threads: threads).0
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
