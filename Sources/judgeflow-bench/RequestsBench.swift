import ChatServerFixture
import Foundation
import ModelBackend

/// `judgeflow-bench chat-server --port P`: a loopback OpenAI-compatible server that answers every chat
/// request at once with a fixed completion (what the request layer is measured against).
/// `judgeflow-bench requests --url URL [--requests N] [--in-flight K] [--cache DIR] [--json]`: N chat
/// requests (each a short prompt, a distinct seed) through JudgeFlow's request layer with K in flight:
/// requests per second, and the process's peak resident memory with all N queued and answered.
enum RequestsBench {
    static func serve(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--port"], switches: [])
        let server = LoopbackChatServer(port: UInt16(try f.int("--port")), recording: false) { _, _ in .chat(["Verdict: A"]) }
        print("answering on \(server.baseURL)")
        while true { sleep(3600) }
    }

    static func run(_ args: [String]) throws(BenchError) {
        let f = try Flags(args, valued: ["--url", "--requests", "--in-flight", "--cache"], switches: ["--json"])
        guard let url = f.string("--url") else { throw .usage("--url is required") }
        let count = try f.int("--requests", default: 20_000), inFlight = try f.int("--in-flight", default: 64)
        let requests = (0..<count).map { i in
            ChatRequest(model: "bench", messages: [ChatMessage(role: "user", content: "Is there a red circle? (\(i))")],
                        temperature: 0, maxTokens: 8, seed: UInt64(i))
        }
        let endpoint: Endpoint
        do { endpoint = try Endpoint(url, timeout: 30, inFlight: inFlight) } catch { throw .usage("\(error)") }
        let runner = RequestRunner(endpoint: endpoint, cache: f.string("--cache").map { ResponseCache(directory: $0) })
        let start = Date()
        let responses: [ChatResponse]
        do { responses = try runner.run(requests) } catch { throw .usage("the run failed: \(error)") }
        let seconds = Date().timeIntervalSince(start)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024
        let rate = Double(responses.count) / seconds
        if f.flag("--json") {
            print(#"{"requests": \#(count), "in_flight": \#(inFlight), "seconds": \#(seconds), "requests_per_second": \#(rate), "peak_rss_mb": \#(peakMB)}"#)
        } else {
            print(String(format: "%d requests, %d in flight: %.2f s, %.0f requests/s, peak RSS %.0f MB", count, inFlight, seconds, rate, peakMB))
        }
    }
}
