import Foundation
import JudgeEval
import JudgeStages
import ModelBackend
import NodeKit

/// `judgeflow eval --judge URL --model NAME`: the benchmark judged by a served model with the params
/// `judge.eval` declares for `backend: openai` (defaults, then the flags), progress on standard error.
enum ServedJudge {
    static func judge(_ items: [BenchmarkItem], directory: String, endpoint: String, _ args: Arguments) throws(CLIError)
        -> ([ItemJudgement], VerdictTally) {
        let type = JudgeEvalNode()
        var params: [String: Value] = [:]
        for spec in type.params { params[spec.name] = spec.defaultValue }
        params["backend"] = .string("openai")
        params["endpoint"] = .string(endpoint)
        params["model"] = .string(args.value("--model") ?? "")
        if let constraint = args.value("--verdict-constraint") { params["verdict_constraint"] = .string(constraint) }
        if let variable = args.value("--api-key-env") { params["api_key_env"] = .string(variable) }
        if let text = args.value("--max-tokens") {
            guard let n = Int(text), n > 0 else { throw .usage("--max-tokens takes a positive number, found '\(text)'") }
            params["max_tokens"] = .int(n)
        }
        for spec in type.params {
            if let value = params[spec.name], let why = spec.problem(with: value) {
                throw .usage("--\(spec.name.replacingOccurrences(of: "_", with: "-")) \(why)")
            }
        }
        if let problem = type.problems(params: params).first {
            throw .usage("\(problem.message) (hint: pass --\(problem.param.replacingOccurrences(of: "_", with: "-")))")
        }
        do {
            let endpoint = try Endpoint(endpoint, apiKey: Endpoint.key(fromEnvironment: try params.string("api_key_env")),
                                        timeout: try params.double("timeout"), inFlight: try params.int("in_flight"),
                                        retry: RetryPolicy(retries: try params.int("retries"), backoff: try params.double("backoff")))
            let runner = RequestRunner(endpoint: endpoint, cache: nil)
            return try BenchmarkJudging.judgeServed(items, directory: directory, params: params) { requests, note in
                try runner.run(requests) { progress in
                    FileHandle.standardError.write(Data("\r\(note) \(progress.line)   ".utf8))
                    if progress.done == progress.total { FileHandle.standardError.write(Data("\n".utf8)) }
                }
            }
        } catch {
            throw .failed("judge \(endpoint): \(error)")
        }
    }
}
