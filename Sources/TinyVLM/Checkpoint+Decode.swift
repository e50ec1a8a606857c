import Foundation

extension Checkpoint {
    /// The model, and the optimizer state if the checkpoint holds one. The file is untrusted and the
    /// model runs without bounds checks, so everything is checked before a parameter buffer exists:
    /// the config against `ModelConfig.validate()`, the tokenizer against the vocabulary, and every
    /// tensor against the shape the config implies — present, exactly that shape, and no tensor the
    /// config does not name. The buffers are then no larger than the tensors the file holds.
    public static func decode(_ bytes: [UInt8], threads: Int) throws(Failure) -> (Model, (step: Int, m: [Float], v: [Float])?) {
        let (tensors, metadata): ([String: SafeTensors.Tensor], [String: String])
        do { (tensors, metadata) = try SafeTensors.decode(bytes) } catch { throw .container(error) }
        guard metadata["format"] == format else { throw .notACheckpoint("metadata format is \(quoted(metadata["format"]))") }
        guard metadata["version"] == formatVersion else { throw .notACheckpoint("metadata version is \(quoted(metadata["version"]))") }
        let config = try readConfig(metadata["config"])
        let tokenizer = try readTokenizer(metadata["tokenizer"], vocab: config.vocab)
        let step = try metadata["optimizer_step"].map { text throws(Failure) in
            guard let step = Int(text), step >= 0 else { throw .metadata(field: "optimizer_step", "'\(text)' is not a non-negative integer") }
            return step
        }
        let layout = ParameterLayout(config)
        try checkTensors(tensors, layout: layout, config: config, optimizer: step != nil)

        var values = [Float](repeating: 0, count: layout.total)
        var m = step == nil ? [] : values, v = m
        for e in layout.entries {
            let range = e.offset..<(e.offset + e.count)
            values.replaceSubrange(range, with: tensors[e.name]?.values ?? [])
            if step != nil {
                m.replaceSubrange(range, with: tensors["optimizer.m." + e.name]?.values ?? [])
                v.replaceSubrange(range, with: tensors["optimizer.v." + e.name]?.values ?? [])
            }
        }
        let model = Model(config: config, tokenizer: tokenizer, values: values, threads: threads)
        return (model, step.map { ($0, m, v) })
    }

    static func readConfig(_ text: String?) throws(Failure) -> ModelConfig {
        guard let text else { throw .unreadableConfig("the metadata has no config") }
        let config: ModelConfig
        do { config = try JSONDecoder().decode(ModelConfig.self, from: Data(text.utf8)) } catch {
            throw .unreadableConfig(describe(error))
        }
        do { try config.validate() } catch { throw .config(error) }
        return config
    }

    static func readTokenizer(_ text: String?, vocab: Int) throws(Failure) -> Tokenizer {
        guard let text else { throw .tokenizer("the metadata has no tokenizer") }
        let tokenizer: Tokenizer
        do { tokenizer = try JSONDecoder().decode(Tokenizer.self, from: Data(text.utf8)) } catch { throw .tokenizer(describe(error)) }
        guard tokenizer.count <= vocab else {
            throw .tokenizer("\(tokenizer.count) tokens exceed the config's vocab \(vocab) (ids past it have no embedding row)")
        }
        return tokenizer
    }

    /// Every tensor the layout names (and its optimizer moments, if any) is present with exactly its
    /// shape, and the file holds no other tensor; `SafeTensors.decode` already made each tensor's value
    /// count equal its shape's product.
    static func checkTensors(_ tensors: [String: SafeTensors.Tensor], layout: ParameterLayout, config: ModelConfig,
                             optimizer: Bool) throws(Failure) {
        var expected = Set<String>()
        for e in layout.entries {
            for name in optimizer ? [e.name, "optimizer.m." + e.name, "optimizer.v." + e.name] : [e.name] {
                expected.insert(name)
                guard let t = tensors[name] else { throw .tensor(name: name, "missing (the config implies it)") }
                guard t.shape == e.shape else {
                    throw .tensor(name: name, "shape \(t.shape) differs from \(e.shape), which the config implies "
                                  + "(vocab \(config.vocab), d \(config.d), maxText \(config.maxText), imageSize \(config.imageSize), "
                                  + "patch \(config.patch))")
                }
            }
        }
        if let extra = tensors.keys.filter({ !expected.contains($0) }).sorted().first {
            throw .tensor(name: extra, "not part of a model with this config (layers \(config.layers)"
                          + (optimizer ? ")" : ", no optimizer_step in the metadata)"))
        }
    }

    static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, _): return "field '\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context))' has the wrong type (\(context.debugDescription))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? context.debugDescription : "field '\(path(context))': \(context.debugDescription)"
        default: return "\(error)"
        }
    }

    static func quoted(_ value: String?) -> String { value.map { "'\($0)'" } ?? "missing" }
}
