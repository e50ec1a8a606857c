import ChatServerFixture
import Foundation
import ModelBackend
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `judgeflow serve`: the embedded model behind the OpenAI-compatible API — its own answers over HTTP,
/// the official Python client, and inputs that must not bring it down.
@Suite(.serialized) struct ServeTests {
    /// A project with a small trained base model (`base`) and a world of 24-pixel scenes.
    static func projectWithModel() -> Project {
        let p = Project()
        p.write("base.yaml", """
            x-world: &world {image_size: 24, grid: 3, max_objects: 2}
            stages:
              base:
                uses: model.pretrain
                with: {<<: *world, scenes: 300, steps: 60, d: 32, layers: 1, heads: 2, max_text: 96}
            """)
        let run = p.judgeflow("run", "base.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        return p
    }

    /// Starts `judgeflow serve` and returns the process and its base URL (from the line it prints).
    static func serve(_ p: Project, _ arguments: [String]) -> (Process, String)? {
        let started = p.start(["serve"] + arguments + ["--port", "0"])
        let err = started.2.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let data = err.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"http://[0-9.]+:[0-9]+/v1"#, options: .regularExpression) { return (started.0, String(text[range])) }
        }
        Issue.record("judgeflow serve did not start: \(text)")
        started.0.terminate()
        return nil
    }

    static func post(_ url: String, _ body: [UInt8]) -> (Int, String) {
        switch SocketTransport().send(URL(string: url + "/chat/completions")!, body: body, headers: ["Content-Type": "application/json"], timeout: 30) {
        case .success(let reply): return (reply.status, String(decoding: reply.body, as: UTF8.self))
        case .failure(let failure): return (0, "\(failure)")
        }
    }

    @Test func servedSynthesisAndAnswersEqualTheEmbeddedModelsBitForBit() throws {
        let p = Self.projectWithModel()
        p.write("wf.yaml", """
            x-world: &world {image_size: 24, grid: 3, max_objects: 2}
            servers:
              own: "\(Project.binary) serve {model} --port {port} --name own --threads 1"
            x-served: &served {backend: openai, server: own, answer_hint: "", max_tokens: 8}
            stages:
              base:
                uses: model.pretrain
                with: {<<: *world, scenes: 2000, steps: 600, d: 32, layers: 1, heads: 2, max_text: 96}
              embedded_closed:
                uses: pairs.closed
                inputs: {policy: base}
                with: {<<: *world, count: 24, samples: 6, threshold: 3}
              served_closed:
                uses: pairs.closed
                inputs: {policy: base}
                with: {<<: [*world, *served], count: 24, samples: 6, threshold: 3, max_n: 4}
              embedded_answers:
                uses: model.eval
                inputs: {model: base}
                with: {<<: *world, count: 4}
              served_answers:
                uses: model.eval
                inputs: {model: base}
                with: {<<: [*world, *served], count: 4, max_tokens: 60}
            """)
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        for (embedded, served, file) in [("embedded_answers", "served_answers", "metrics"), ("embedded_closed", "served_closed", "pairs/pairs.jsonl")] {
            #expect(p.judgeflow("export", embedded, "out/" + embedded, "--workflow", "wf.yaml").status == 0)
            #expect(p.judgeflow("export", served, "out/" + served, "--workflow", "wf.yaml").status == 0)
            let a = p.read("out/\(embedded)/\(file)"), b = p.read("out/\(served)/\(file)")
            #expect((a?.count ?? 0) > 40 && a == b, "\(file) differs:\n\(a ?? "nil")\n---\n\(b ?? "nil")")
        }
        // Not vacuous: the model answers some closed questions right, and several questions made pairs.
        #expect((p.read("out/served_answers/metrics") ?? "").contains("\"closed\" : 0.") == true)
        #expect((p.read("out/served_closed/pairs/pairs.jsonl") ?? "").split(separator: "\n").count >= 5)
    }

    @Test func theOfficialOpenAIClientWorksAgainstIt() throws {
        let python = ProcessInfo.processInfo.environment["JUDGEFLOW_OPENAI_PY"]
            ?? NSHomeDirectory() + "/.cache/llama-server-build/venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record(Comment(rawValue: "NO OPENAI CLIENT: \(python) is missing, so the official openai client was not run against judgeflow serve; "
                                 + ".ci/run makes that venv (JUDGEFLOW_OPENAI_PY names another python with `openai`)"))
            return
        }
        let p = Self.projectWithModel()
        #expect(p.judgeflow("world", "scene", "--seed", "1", "--index", "3", "--set", "image_size=24", "--set", "grid=3",
                            "--set", "max_objects=2", "-o", "scene.json").status == 0)
        #expect(p.judgeflow("world", "render", "scene.json", "-o", "scene.png").status == 0)
        guard let (server, url) = Self.serve(p, ["base", "--workflow", "base.yaml", "--name", "tiny"]) else { return }
        defer { server.terminate() }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = [ServedModelTests.root + "/Tests/ClientCompatibility/openai_client_check.py", url, "tiny",
                           p.directory + "/scene.png", "what colour is the circle ?"]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok   streaming gives the same text in chunks"), "\(text)")
    }

    @Test func badRequestsGetOpenAIErrorsAndTheServerStaysUp() throws {
        let p = Self.projectWithModel()
        guard let (server, url) = Self.serve(p, ["base", "--workflow", "base.yaml", "--name", "tiny", "--max-body", "100000"]) else { return }
        defer { server.terminate() }
        let text = #"{"role": "user", "content": "what colour is the circle ?"}"#
        let wrongSize = #"{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"}},{"type":"text","text":"hi"}]}"#
        let cases: [(String, Int, String)] = [
            ("{not json", 400, "invalid_request_error"),
            (#"{"model": "tiny"}"#, 400, "messages"),
            (#"{"model": "other", "messages": [\#(text)]}"#, 404, "model_not_found"),
            (#"{"model": "tiny", "messages": [\#(text)], "n": 1.5}"#, 400, "\"param\":\"n\""),
            (#"{"model": "tiny", "messages": [\#(text)], "stream": 1}"#, 400, "\"param\":\"stream\""),
            (#"{"model": "tiny", "messages": [\#(text)]}"#, 400, "image"),
            (#"{"model": "tiny", "messages": [\#(wrongSize)]}"#, 422, "1×1"),
            ("{\"model\": \"tiny\", \"messages\": [\(text)], \"pad\": \"" + String(repeating: "x", count: 200_000) + "\"}", 413, "at most"),
        ]
        for (body, status, fragment) in cases {
            let (code, answer) = Self.post(url, Array(body.utf8))
            #expect(code == status && answer.contains(fragment), "\(body.prefix(80)): \(code) \(answer)")
        }
        // Garbage on a raw connection, then a normal request still answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(URL(string: url)!.port!).bigEndian
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let garbage: [UInt8] = Array("\u{0}\u{FF}GARBAGE\r\nContent-Length: -5\r\n\r\n".utf8) + (0..<256).map { UInt8($0) }
        _ = garbage.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        let models = SocketTransport().send(URL(string: url + "/models")!, body: nil, headers: [:], timeout: 30)
        let listed = (try? models.get()).map { String(decoding: $0.body, as: UTF8.self) } ?? "\(models)"
        #expect(listed.contains("\"id\":\"tiny\""), "\(listed)")
        #expect(server.isRunning)
    }

    /// The loop of the quick start at toy size, in-process; `served: true` points every model-facing stage
    /// at a managed `judgeflow serve` and trains through `trainer: command` running `judgeflow train`.
    static func loop(served: Bool) -> String {
        let with = served ? "<<: [*world, *served], " : "<<: *world, "
        return """
            x-world: &world {image_size: 24, grid: 3, max_objects: 2}
            servers:
              own: "\(Project.binary) serve {model} --port {port} --name own"
            x-served: &served {backend: openai, server: own}
            stages:
              base:
                uses: model.pretrain
                with: {<<: *world, scenes: 2000, steps: 600, d: 32, layers: 1, heads: 2, max_text: 160}
              bench:
                uses: world.benchmark
                with: {<<: *world, style: vl-rewardbench, items_per_category: 10}
              eval0:
                uses: judge.eval
                inputs: {judge: base, benchmark: bench}
                \(served ? "with: *served" : "")
              improve:
                repeat: 2
                stages:
                  closed:
                    uses: pairs.closed
                    inputs: {policy: base}
                    with: {\(with)iteration: "${i}", count: 64, samples: 6, threshold: 3\(served ? ", answer_hint: \"\", max_tokens: 8" : "")}
                  open:
                    uses: pairs.open
                    inputs: {policy: base}
                    with: {\(with)iteration: "${i}", count: 64\(served ? ", max_tokens: 60" : "")}
                  traces:
                    uses: judge.traces
                    inputs: {judge: "judge@${i - 1}", pairs: [closed, open]}
                    \(served ? "with: *served" : "")
                  kept:
                    uses: judge.filter
                    inputs: {traces: traces}
                  judge:
                    uses: judge.train
                    inputs: {init: "judge@${i - 1}", data: [kept, "kept@${i - 1}"]}
                    with: \(served ? "{trainer: command, command: \"\(Project.binary) train --data {data} --init {init} --output {output} --set steps=30\"}" : "{steps: 30}")
                  eval:
                    uses: judge.eval
                    inputs: {judge: judge, benchmark: bench}
                    with: {\(served ? "<<: *served, " : "")iteration: "${i}"}
                first:
                  traces: {inputs: {judge: base}}
                  judge: {inputs: {init: base, data: [kept]}}
            """
    }

    @Test func theLoopOverHTTPEqualsTheInProcessLoopBitForBit() throws {
        let p = Project()
        p.write("loop.yaml", Self.loop(served: false))
        p.write("http.yaml", Self.loop(served: true))
        let local = p.judgeflow("run", "loop.yaml")
        #expect(local.status == 0, "\(local.stderr)")
        let http = p.judgeflow("run", "http.yaml")
        #expect(http.status == 0, "\(http.stderr)")
        // Everything but the shared base and benchmark runs again over HTTP.
        #expect(http.counts?.ran == 13 && http.counts?.cached == 2, "\(http.stderr)")
        func same(_ node: String, _ file: String, _ servedFile: String? = nil) {
            #expect(p.judgeflow("export", node, "local/" + node, "--workflow", "loop.yaml").status == 0)
            #expect(p.judgeflow("export", node, "http/" + node, "--workflow", "http.yaml").status == 0)
            let a = FileManager.default.contents(atPath: p.directory + "/local/\(node)/\(file)")
            let b = FileManager.default.contents(atPath: p.directory + "/http/\(node)/\(servedFile ?? file)")
            #expect(a != nil && a == b, "\(node): \(file) differs between the in-process and the HTTP loop")
        }
        for i in 1...2 {
            same("closed@\(i)", "pairs/pairs.jsonl")
            same("open@\(i)", "pairs/pairs.jsonl")
            same("traces@\(i)", "traces/traces.jsonl")
            same("kept@\(i)", "kept/kept.jsonl")
            same("judge@\(i)", "model", "model/model.safetensors")
        }
        for node in ["eval0", "eval@1", "eval@2"] {
            #expect(p.judgeflow("export", node, "local/" + node, "--workflow", "loop.yaml").status == 0)
            #expect(p.judgeflow("export", node, "http/" + node, "--workflow", "http.yaml").status == 0)
            let a = try JSONSerialization.jsonObject(with: Data((p.read("local/\(node)/metrics") ?? "").utf8)) as? [String: Any]
            let b = try JSONSerialization.jsonObject(with: Data((p.read("http/\(node)/metrics") ?? "").utf8)) as? [String: Any]
            #expect(a?["judge"] as? NSDictionary == b?["judge"] as? NSDictionary && a?["judge"] != nil, "\(node)'s judge metrics differ")
            #expect((b?["verdicts"] as? [String: Any])?["unparseable"] as? Int == 0, "\(node): verdicts left unread over HTTP")
        }
    }
}
