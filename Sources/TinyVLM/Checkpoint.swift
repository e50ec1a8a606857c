import Foundation

/// Checkpoints as safetensors: every parameter under its dotted name, and in `__metadata__` the format
/// version, the config and the tokenizer (JSON), so a checkpoint is self-contained. A training
/// checkpoint also holds the optimizer moments (`optimizer.m.*`, `optimizer.v.*`) and step.
/// Reading one (Checkpoint+Decode.swift) checks it completely before the model is built.
public enum Checkpoint {
    public static let formatVersion = "1"
    static let format = "judgeflow-tinyvlm"

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(path: String)
        case container(SafeTensors.Failure)
        /// The metadata does not name this format and version.
        case notACheckpoint(String)
        case config(ModelConfig.Problem)
        case unreadableConfig(String)
        case tokenizer(String)
        case tensor(name: String, String)
        case metadata(field: String, String)

        public var description: String {
            switch self {
            case .unreadable(let path): "checkpoint: cannot read \(path)"
            case .container(let failure): "checkpoint: \(failure)"
            case .notACheckpoint(let why): "checkpoint: \(why); not a JudgeFlow TinyVLM checkpoint of version \(formatVersion)"
            case .config(let problem): "checkpoint config: \(problem)"
            case .unreadableConfig(let why): "checkpoint config: \(why)"
            case .tokenizer(let why): "checkpoint tokenizer: \(why)"
            case .tensor(let name, let why): "checkpoint tensor '\(name)': \(why)"
            case .metadata(let field, let why): "checkpoint metadata \(field): \(why)"
            }
        }
    }

    public static func encode(_ model: Model, trainer: Trainer? = nil) -> [UInt8] {
        var tensors: [String: SafeTensors.Tensor] = [:]
        let values = model.parameterValues
        for e in model.layout.entries {
            tensors[e.name] = SafeTensors.Tensor(shape: e.shape, values: Array(values[e.offset..<(e.offset + e.count)]))
        }
        var metadata = ["format": format, "version": formatVersion,
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

    public static func load(_ path: String, threads: Int) throws(Failure) -> Model {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try decode(Array(data), threads: threads).0
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
