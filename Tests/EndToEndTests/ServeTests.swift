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
}
