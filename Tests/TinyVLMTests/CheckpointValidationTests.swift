import Foundation
import Testing
import TinyVLM

/// A checkpoint is an untrusted file and the model runs without bounds checks: each crafted checkpoint
/// below used to trap, abort on a huge allocation, or load with token ids past the embedding table.
@Suite struct CheckpointValidationTests {
    /// A checkpoint of `randomModel()` (vocab 30, d 16, layers 2, heads 2, maxText 20, imageSize 16, patch 8),
    /// with optimizer state when asked, taken apart for editing.
    func parts(optimizer: Bool = false) throws -> (tensors: [String: SafeTensors.Tensor], metadata: [String: String]) {
        let model = randomModel()
        let trainer = optimizer ? Trainer(model: model, schedule: .init(learningRate: 1e-3, warmup: 1, steps: 2)) : nil
        return try SafeTensors.decode(Checkpoint.encode(model, trainer: trainer))
    }

    func decodingConfig(_ edit: (inout [String: Any]) -> Void) throws -> Checkpoint.Failure? {
        let (tensors, original) = try parts()
        var metadata = original
        var config = try #require(try JSONSerialization.jsonObject(with: Data((metadata["config"] ?? "").utf8)) as? [String: Any])
        edit(&config)
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        return decodeFailure(SafeTensors.encode(tensors, metadata: metadata))
    }

    func decodeFailure(_ bytes: [UInt8]) -> Checkpoint.Failure? {
        do { _ = try Checkpoint.decode(bytes, threads: 1) } catch { return error }
        return nil
    }

    @Test func aZeroPatchIsAConfigErrorNotADivisionByZero() throws {
        let failure = try decodingConfig { $0["patch"] = 0 }
        #expect(failure == .config(.patchDoesNotDivide(patch: 0, imageSize: 16)))
        #expect(failure?.description == "checkpoint config: patch 0 must be positive and divide imageSize 16")
        #expect(try decodingConfig { $0["patch"] = 5 } == .config(.patchDoesNotDivide(patch: 5, imageSize: 16)))
    }

    @Test(arguments: ["d", "vocab", "maxText", "imageSize", "layers", "heads"])
    func aHugeSizeIsRefusedBeforeAnythingIsAllocated(field: String) throws {
        let failure = try decodingConfig { $0[field] = 1_000_000_000 }
        guard case .config(.outOfRange(let named, 1_000_000_000, _)) = failure else {
            Issue.record("\(field): \(String(describing: failure))")
            return
        }
        #expect(named == field)
        #expect(failure?.description.hasPrefix("checkpoint config: \(field) 1000000000 must be in ") == true)
    }

    @Test func sizesInRangeButNotMatchingTheTensorsAreRefused() throws {
        #expect(try decodingConfig { $0["layers"] = 1 } == .tensor(name: "blocks.1.fc.bias", "not part of a model with this config (layers 1, no optimizer_step in the metadata)"))
        #expect(try decodingConfig { $0["layers"] = 3 } == .tensor(name: "blocks.2.ln1.weight", "missing (the config implies it)"))
        guard case .tensor("tok.weight", _) = try decodingConfig({ $0["d"] = 32 }) else { Issue.record("d 32 was accepted"); return }
        guard case .tensor("pos.weight", _) = try decodingConfig({ $0["maxText"] = 21 }) else { Issue.record("maxText 21 was accepted"); return }
        guard case .tensor("tok.weight", _) = try decodingConfig({ $0["vocab"] = 31 }) else { Issue.record("vocab 31 was accepted"); return }
    }

    @Test func aTokenizerLargerThanTheVocabularyIsRefused() throws {
        let (tensors, original) = try parts()
        var metadata = original
        let words = Tokenizer.specials + (0..<40).map { "w\($0)" }
        metadata["tokenizer"] = String(decoding: try JSONSerialization.data(withJSONObject: ["words": words]), as: UTF8.self)
        let failure = decodeFailure(SafeTensors.encode(tensors, metadata: metadata))
        #expect(failure == .tokenizer("45 tokens exceed the config's vocab 30 (ids past it have no embedding row)"))
    }

    @Test func aNonNumericOptimizerStepIsAnErrorNotACrash() throws {
        let (tensors, original) = try parts(optimizer: true)
        var metadata = original
        metadata["optimizer_step"] = "x"
        #expect(decodeFailure(SafeTensors.encode(tensors, metadata: metadata))
                == .metadata(field: "optimizer_step", "'x' is not a non-negative integer"))
    }

    @Test func optimizerMomentsMustBePresentWithTheParametersShape() throws {
        var (tensors, metadata) = try parts(optimizer: true)
        let name = "optimizer.m.vis.bias"
        tensors[name] = SafeTensors.Tensor(shape: [4], values: [0, 0, 0, 0])
        guard case .tensor(name, _) = decodeFailure(SafeTensors.encode(tensors, metadata: metadata)) else {
            Issue.record("a short optimizer moment was accepted")
            return
        }
        let (plain, _) = try parts()
        metadata["optimizer_step"] = "3"
        #expect(decodeFailure(SafeTensors.encode(plain, metadata: metadata)) == .tensor(name: "optimizer.m.tok.weight", "missing (the config implies it)"))
    }

    @Test func aValidCheckpointStillLoads() throws {
        let (tensors, metadata) = try parts(optimizer: true)
        #expect(decodeFailure(SafeTensors.encode(tensors, metadata: metadata)) == nil)
    }

    @Test func theParameterBoundCountsWhatTheLayoutAllocates() {
        for config in [randomModel().config, ModelConfig(vocab: 107, d: 64, layers: 2, heads: 4, maxText: 160, imageSize: 24),
                       ModelConfig(vocab: 6, d: 4, layers: 1, heads: 1, maxText: 2, imageSize: 1, patch: 1)] {
            #expect(config.parameterCount == ParameterLayout(config).total)
        }
    }
}
