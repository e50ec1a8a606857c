import Foundation
import JudgeStages
import SyntheticWorld
import TinyVLM

/// The embedded model answering chat requests. Requests from concurrent clients wait in one queue; a
/// worker thread per model thread drives its own `ContinuousGenerator` (continuous batching): at every
/// decoding step it starts queued requests' sequences in its free slots — the least loaded worker takes
/// the next request — and a request whose sequences have all ended gets its choices (with logprobs when
/// asked) at once, without waiting for longer answers it was batched with. The workers step on their own,
/// with no synchronisation between steps; the model's whole-sequence passes (judging, logprobs) take
/// turns. Every sequence has its own seed and sampling params, and its arithmetic involves no other, so an
/// answer does not depend on what it was batched with. Choice
/// j of a request with `seed` s samples exactly what `generate` with seed s gives its sequence j. A
/// question in JudgeFlow's default judge prompt (`JudgePrompt`) is answered by the embedded judge's own
/// protocol (`Judge`): its trace, then `Verdict: A` or `B` by the sign of its margin, with logprobs of the
/// two letters whose difference is that margin exactly — so a served judge scores what the embedded one does.
public final class CompletionEngine: @unchecked Sendable {
    public struct Choice: Sendable, Equatable {
        public var tokens: [Int32]
        public var text: String
        /// The text each token adds (concatenated: `text`).
        public var pieces: [String]
        public var finishReason: String
        /// Per token: its logprob and the top alternatives (token text, logprob), when asked for.
        public var logprobs: [(logprob: Double, top: [(String, Double)])]?

        public static func == (a: Choice, b: Choice) -> Bool {
            a.tokens == b.tokens && a.text == b.text && a.finishReason == b.finishReason
        }
    }

    public struct Completion: Sendable {
        public var choices: [Choice]
        public var promptTokens: Int
    }

    public let model: Model
    public let name: String
    /// The claim-check layout judge prompts are read with: the one the served judge was trained with.
    public let checks: CellChecks.Layout
    private let lock = NSCondition()
    private var queue: [Job] = []
    /// Per worker: sequences decoding or waiting for a slot (read and written under `lock`).
    private var load: [Int]
    /// Whole-sequence passes over the model (judging, logprobs) use its shared scratch: one at a time.
    private let passes = NSLock()

    final class Job: @unchecked Sendable {
        let request: ChatCompletionRequest
        let prompt: [Int32]
        let patches: [Float]
        let maxTokens: Int
        let seed: UInt64
        let judged: (question: String, a: String, b: String)?
        var result: [Choice]?
        /// Generated tokens per choice, and how many choices are still decoding.
        var outputs: [[Int32]] = []
        var left = 0
        let done = DispatchSemaphore(value: 0)
        init(request: ChatCompletionRequest, prompt: [Int32], patches: [Float], maxTokens: Int, seed: UInt64,
             judged: (question: String, a: String, b: String)?) {
            self.request = request
            self.prompt = prompt
            self.patches = patches
            self.maxTokens = maxTokens
            self.seed = seed
            self.judged = judged
        }
    }

    public init(model: Model, name: String, checks: CellChecks.Layout = .default) {
        self.model = model
        self.name = name
        self.checks = checks
        let workers = max(1, model.threads)
        load = Array(repeating: 0, count: workers)
        for w in 0..<workers {
            let worker = Thread { [self] in work(w) }
            worker.stackSize = 8 << 20
            worker.start()
        }
    }

    /// The prompt the embedded model reads for a question: `<bos> words <sep>` (its own grammar: lower-case
    /// world words separated by spaces; other words read as unknown).
    public func prompt(_ question: String) -> [Int32] { Prompts.question(question, model.tokenizer) }

    /// Checks a request against this model and waits for its choices.
    public func complete(_ request: ChatCompletionRequest) throws(OpenAIError) -> Completion {
        guard request.model == name else {
            throw OpenAIError(status: 404, message: "The model `\(request.model)` does not exist; this server serves `\(name)`",
                              param: "model", code: "model_not_found")
        }
        let config = model.config
        guard let image = request.image else {
            throw OpenAIError(status: 400, message: "the embedded model answers about an image: send one image_url part (a data: URL of a PNG)",
                              param: "messages")
        }
        guard image.width == config.imageSize, image.height == config.imageSize else {
            throw OpenAIError(status: 422, message: "the image is \(image.width)×\(image.height) pixels; this model reads \(config.imageSize)×\(config.imageSize)",
                              param: "messages")
        }
        let judged = JudgePrompt.parse(request.question)
        let prompt = prompt(judged?.question ?? request.question)
        let room = min(config.maxText, config.positions - config.patches) - prompt.count
        guard room >= 1 else {
            throw OpenAIError(status: 400, message: "the prompt is \(prompt.count) tokens; this model reads at most \(config.maxText - 1) before its answer",
                              param: "messages", code: "context_length_exceeded")
        }
        let maxTokens = min(request.maxTokens ?? room, room)
        let patches = Patches.features(rgb: image.pixels, size: config.imageSize, patch: config.patch)
        let job = Job(request: request, prompt: prompt, patches: patches, maxTokens: maxTokens, seed: request.seed ?? UInt64.random(in: 0...UInt64.max),
                      judged: judged)
        lock.lock()
        queue.append(job)
        lock.broadcast()
        lock.unlock()
        job.done.wait()
        return Completion(choices: job.result ?? [], promptTokens: prompt.count)
    }

    private func work(_ w: Int) -> Never {
        let generator = ContinuousGenerator(model: model)
        var waiting: [(job: Job, next: Int)] = []
        var decoding: [Int: (job: Job, choice: Int)] = [:]
        var tags = 0
        while true {
            lock.lock()
            while queue.isEmpty && waiting.isEmpty && decoding.isEmpty { lock.wait() }
            // The least loaded worker takes the next request; the others leave it for a later step.
            var arrived: [Job] = []
            while let job = queue.first, load[w] <= load.min()! {
                queue.removeFirst()
                arrived.append(job)
                load[w] += job.judged == nil ? job.request.n : 0
            }
            lock.unlock()
            let judging = arrived.filter { $0.judged != nil }
            if !judging.isEmpty { passes.withLock { judge(judging) } }
            waiting += arrived.filter { $0.judged == nil }.map { ($0, 0) }
            // Every free slot takes the next waiting choice, first come first served.
            while let first = waiting.first, generator.free > 0 {
                let job = first.job, j = first.next
                if j == 0 {
                    job.outputs = Array(repeating: [], count: job.request.n)
                    job.left = job.request.n
                }
                let request = GenerationRequest(patches: job.patches, prompt: job.prompt, maxNewTokens: job.maxTokens,
                                                seed: SamplingOptions.sequenceSeed(job.seed, index: j))
                generator.start(request, options: options(job.request), tag: tags)
                decoding[tags] = (job, j)
                tags += 1
                if j + 1 < job.request.n { waiting[0].next = j + 1 } else { waiting.removeFirst() }
            }
            guard !decoding.isEmpty else { continue }
            var ended = 0
            for (tag, tokens) in generator.step() {
                guard let (job, choice) = decoding.removeValue(forKey: tag) else { continue }
                ended += 1
                job.outputs[choice] = tokens
                job.left -= 1
                if job.left == 0 { finish(job) }
            }
            if ended > 0 { lock.withLock { load[w] -= ended } }
        }
    }

    /// The sampling a request asks for, ending at the end-of-sequence token.
    func options(_ request: ChatCompletionRequest) -> SamplingOptions {
        SamplingOptions(temperature: Float(request.temperature), topK: request.topK, topP: Float(request.topP), stop: [model.tokenizer.eos])
    }

    /// Judge prompts, all at once through the embedded judge; each gets its verdict as every choice.
    func judge(_ jobs: [Job]) {
        var judge = Judge(model: model)
        judge.checks = checks
        let outputs = judge.judge(jobs.map { job in
            Judge.Input(patches: job.patches, question: job.judged!.question, responses: (job.judged!.a, job.judged!.b))
        })
        for (job, out) in zip(jobs, outputs) {
            job.result = Array(repeating: verdict(trace: out.trace, margin: out.straight), count: job.request.n)
            job.done.signal()
        }
    }

    /// A request whose choices have all ended: their texts (cut at `stop`), logprobs when asked; then its
    /// client is woken.
    func finish(_ job: Job) {
        let logprobs = job.request.logprobs ? passes.withLock { self.logprobs(job, job.outputs) } : nil
        job.result = job.outputs.enumerated().map { j, t in
            choice(t, maxTokens: job.maxTokens, stop: job.request.stop, logprobs: logprobs?[j], top: job.request.topLogprobs)
        }
        job.done.signal()
    }

    /// The embedded judge's answer: its trace, then the verdict line; the letter's logprobs are 0 for the
    /// chosen one and minus the margin's size for the other, so logP(A) − logP(B) is the margin exactly.
    func verdict(trace: String, margin: Float) -> Choice {
        let m = Double(margin), letter = margin > 0 ? "A" : "B"
        let (a, b) = margin > 0 ? (0.0, -m) : (m, 0.0)
        let head = trace + "\nVerdict: "
        return Choice(tokens: [], text: head + letter, pieces: [head, letter], finishReason: "stop",
                      logprobs: [(logprob: 0, top: []), (logprob: margin > 0 ? a : b, top: [("A", a), ("B", b)])])
    }

    /// Text per token: each word after the first is preceded by a space (how `Tokenizer.decode` joins them).
    func pieces(_ tokens: [Int32]) -> [String] {
        let tok = model.tokenizer
        var out: [String] = [], any = false
        for t in tokens {
            let word = t == tok.pad ? "" : tok.decode([t])
            out.append(word.isEmpty ? "" : (any ? " " : "") + word)
            if !word.isEmpty { any = true }
        }
        return out
    }

    /// A choice from generated tokens: its text cut before the first `stop` string (and the tokens and
    /// pieces up to there), why it ended, and its logprobs with alternatives' texts spaced like the pieces.
    func choice(_ tokens: [Int32], maxTokens: Int, stop: [String], logprobs: [(Double, [(Int32, Double)])]?, top: Int) -> Choice {
        var pieces = pieces(tokens)
        var text = pieces.joined()
        var finish = tokens.count >= maxTokens ? "length" : "stop"
        var kept = tokens.count
        if let cut = stop.filter({ !$0.isEmpty }).compactMap({ text.range(of: $0)?.lowerBound }).min() {
            let length = text.distance(from: text.startIndex, to: cut)
            text = String(text[..<cut])
            finish = "stop"
            var used = 0
            kept = 0
            while kept < pieces.count && used < length {
                let piece = pieces[kept]
                if used + piece.count > length { pieces[kept] = String(piece.prefix(length - used)) }
                used += pieces[kept].count
                kept += 1
            }
            pieces = Array(pieces.prefix(kept))
        }
        let spaced = pieces
        return Choice(tokens: Array(tokens.prefix(kept)), text: text, pieces: pieces, finishReason: finish,
                      logprobs: logprobs.map { list in
                          list.prefix(kept).enumerated().map { i, entry in
                              let space = spaced[i].hasPrefix(" ") ? " " : ""
                              return (logprob: entry.0, top: entry.1.prefix(top).map { (space + self.word($0.0), $0.1) })
                          }
                      })
    }

    /// A token's text for a logprob alternative: its word, or its name for a special token (`<eos>`).
    func word(_ token: Int32) -> String {
        let words = model.tokenizer.words
        return token >= 0 && Int(token) < words.count ? words[Int(token)] : "<unk>"
    }

    /// For each choice of `job`: each generated token's logprob under the model (temperature 1) and the
    /// 20 most likely tokens at its position, from one teacher-forced pass over prompt + answer.
    func logprobs(_ job: Job, _ outputs: [[Int32]]) -> [[(Double, [(Int32, Double)])]] {
        let v = model.config.vocab, pad = model.tokenizer.pad
        let time = max(1, min(model.config.maxText, outputs.map { job.prompt.count + $0.count }.max() ?? 1))
        var patches: [Float] = [], tokens: [Int32] = []
        for out in outputs {
            patches += job.patches
            let sequence = Array((job.prompt + out).prefix(time))
            tokens += sequence + Array(repeating: pad, count: time - sequence.count)
        }
        let batch = Batch(size: outputs.count, time: time, patches: patches, tokens: tokens,
                          targets: Array(repeating: 0, count: outputs.count * time), mask: Array(repeating: 0, count: outputs.count * time))
        return model.withLogits(batch) { logits in
            outputs.enumerated().map { i, out in
                out.enumerated().compactMap { j, token -> (Double, [(Int32, Double)])? in
                    let position = job.prompt.count - 1 + j
                    guard position < time else { return nil }
                    let row = Array(logits[((i * time + position) * v)..<((i * time + position + 1) * v)]).map(Double.init)
                    let top = row.max() ?? 0
                    let lse = top + log(row.reduce(0) { $0 + exp($1 - top) })
                    let best = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.prefix(20)
                    return (row[Int(token)] - lse, best.map { (Int32($0), row[$0] - lse) })
                }
            }
        }
    }
}
