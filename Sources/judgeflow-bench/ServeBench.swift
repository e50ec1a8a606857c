import Foundation
import JudgeStages
import ModelBackend
import SyntheticWorld
import TinyVLM

/// `judgeflow-bench serve-load --url URL --model NAME --image PNG --question Q [--clients C] [--requests N]
/// [--max-tokens T]`: C clients each sending its share of N chat requests one after another (temperature 1,
/// a distinct seed each) to a server: generated tokens per second.
/// `judgeflow-bench generate --checkpoint FILE --image PNG --question Q [--requests N] [--max-tokens T]
/// [--threads 2] [--batch B]`: the same N requests generated in-process, B at a time (default all N in one
/// batched call): tokens per second.
enum ServeBench {
    static func load(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--url", "--model", "--image", "--question", "--clients", "--requests", "--max-tokens"], switches: [])
        guard let url = f.string("--url"), let model = f.string("--model"), let image = f.string("--image"),
              let question = f.string("--question"), let bytes = FileManager.default.contents(atPath: image) else {
            throw .usage("--url, --model, --image (a PNG) and --question are required")
        }
        let clients = try f.int("--clients", default: 16), count = try f.int("--requests", default: 512), maxTokens = try f.int("--max-tokens", default: 16)
        let endpoint: Endpoint
        do { endpoint = try Endpoint(url, timeout: 120, inFlight: clients, retry: RetryPolicy(retries: 0)) } catch { throw .usage("\(error)") }
        let requests = (0..<count).map { i in
            ChatRequest(model: model, messages: [ChatMessage(role: "user", parts: [.image(Array(bytes)), .text(question)])],
                        temperature: 1, maxTokens: maxTokens, seed: UInt64(i))
        }
        let start = Date()
        let responses: [ChatResponse]
        do { responses = try RequestRunner(endpoint: endpoint, cache: nil).run(requests) } catch { throw .usage("\(error)") }
        let seconds = Date().timeIntervalSince(start)
        let tokens = responses.reduce(0) { $0 + ($1.usage?.completionTokens ?? 0) }
        print(String(format: "served, %d clients: %d requests, %d tokens in %.3f s: %.0f tokens/s", clients, count, tokens, seconds,
                     Double(tokens) / seconds))
    }

    static func generate(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--checkpoint", "--image", "--question", "--requests", "--max-tokens", "--threads", "--batch"], switches: [])
        guard let path = f.string("--checkpoint"), let image = f.string("--image"), let question = f.string("--question"),
              let bytes = FileManager.default.contents(atPath: image) else {
            throw .usage("--checkpoint, --image (a PNG) and --question are required")
        }
        let count = try f.int("--requests", default: 512), maxTokens = try f.int("--max-tokens", default: 16)
        let model: Model, picture: RGBImage
        do {
            model = try Checkpoint.load(path, threads: try f.int("--threads", default: 2))
            picture = try PNG.decode(Array(bytes))
        } catch { throw .usage("\(error)") }
        guard picture.width == model.config.imageSize, picture.height == model.config.imageSize else {
            throw .usage("the image is \(picture.width)×\(picture.height); the model reads \(model.config.imageSize)×\(model.config.imageSize)")
        }
        let patches = Patches.features(rgb: picture.pixels, size: model.config.imageSize, patch: model.config.patch)
        let prompt = Prompts.question(question, model.tokenizer)
        let requests = (0..<count).map { i in
            GenerationRequest(patches: patches, prompt: prompt, maxNewTokens: maxTokens, seed: SamplingOptions.sequenceSeed(UInt64(i), index: 0))
        }
        let batch = try f.int("--batch", default: count)
        let start = Date()
        var tokens = 0
        for first in stride(from: 0, to: count, by: batch) {
            let outputs = model.generate(Array(requests[first..<min(count, first + batch)]), options: SamplingOptions(temperature: 1, stop: [model.tokenizer.eos]))
            tokens += outputs.reduce(0) { $0 + $1.count }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "in-process, %d at a time: %d requests, %d tokens in %.3f s: %.0f tokens/s", batch, count, tokens, seconds,
                     Double(tokens) / seconds))
    }
}
