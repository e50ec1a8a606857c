import ChatServerFixture
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Workflows whose model-facing stages talk to a server: a real third-party one (llama.cpp's
/// llama-server from ../shared/real-server, which `.ci/run` starts and names in JUDGEFLOW_REAL_SERVER),
/// and a loopback one for a kill in the middle of a node.
@Suite struct ServedModelTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The real server's base URL, or nil after recording loudly that it is missing.
    static func realServer(_ what: String) -> String? {
        if let endpoint = ProcessInfo.processInfo.environment["JUDGEFLOW_REAL_SERVER"], !endpoint.isEmpty { return endpoint }
        Issue.record("""
            NO REAL SERVER: JUDGEFLOW_REAL_SERVER is not set, so \(what) was not checked against llama-server. \
            .ci/run builds and starts it; by hand: bash ../shared/real-server/llama-server.sh install && \
            PORT=8080 bash ../shared/real-server/llama-server.sh start, then JUDGEFLOW_REAL_SERVER=http://127.0.0.1:8080/v1
            """)
        return nil
    }

    @Test func aServedJudgeScoresTheReleasedBenchmarkFilesOverHTTP() throws {
        guard let endpoint = Self.realServer("judgeflow eval over HTTP") else { return }
        let p = Project()
        let fixtures = Self.root + "/Tests/Fixtures/benchmarks"
        for (file, format) in [("vl-rewardbench/vl_rewardbench.tsv", "vl-rewardbench"), ("multimodal-rewardbench/all_data.json", "multimodal-rewardbench")] {
            let eval = p.judgeflow("eval", "--judge", endpoint, "--model", "tiny-qwen2vl", "--bench", fixtures + "/" + file, "--format", format,
                                   "--max-tokens", "24", "--json", "--store", p.directory + "/store")
            #expect(eval.status == 0, "\(format): \(eval.stderr)")
            let metrics = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any]
            #expect((metrics?["items"] as? Int ?? 0) > 0, "\(format): \(eval.stdout)")
            #expect(eval.stderr.contains("verdicts parsed"), "\(format): \(eval.stderr)")
        }
    }

    @Test func everyModelFacingStageCompletesAgainstARealThirdPartyServer() throws {
        guard let endpoint = Self.realServer("the served-model workflow") else { return }
        let p = Project()
        let workflow = Self.root + "/workflows/examples/served-model.yaml"
        let run = p.judgeflow("run", workflow, "--store", p.directory + "/store", "--set", "endpoint=" + endpoint)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.counts?.ran == 7 && run.counts?.failed == 0, "\(run.stderr)")
        for node in ["eval", "traces", "closed", "open", "answers"] {
            let export = p.judgeflow("export", node, "out/" + node, "--workflow", workflow, "--store", p.directory + "/store")
            #expect(export.status == 0, "\(export.stderr)")
        }
        // The judge's verdicts on the benchmark are parsed from free text: a random model's nonsense is
        // counted as unparseable, never a crash.
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data((p.read("out/eval/metrics") ?? "").utf8)) as? [String: Any])
        let verdicts = try #require(metrics["verdicts"] as? [String: Any])
        let items = try #require((metrics["judge"] as? [String: Any])?["items"] as? Int)
        #expect(verdicts["verdicts"] as? Int == 2 * items)
        #expect((metrics["judge"] as? [String: Any])?["unparseable"] as? Int == verdicts["unparseable"] as? Int)
        // With the grammar constraint every verdict of the traces is read. (llama-server reports logprobs from
        // before the grammar: a random model rarely has both letters among its top 5, so most scores are ±1 from the text.)
        if let tally = p.read("out/traces/traces/verdicts.json").flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }) {
            #expect(tally["unparseable"] as? Int == 0 && (tally["verdicts"] as? Int ?? 0) > 0)
            #expect((tally["logprobs"] as? Int ?? -1) + (tally["text"] as? Int ?? -1) == tally["verdicts"] as? Int)
        } else {
            Issue.record("traces has no verdicts.json")
        }
        #expect(p.read("out/answers/metrics")?.contains("\"closed\"") == true)
        // A second run sends nothing: every node is cached.
        let again = p.judgeflow("run", workflow, "--store", p.directory + "/store", "--set", "endpoint=" + endpoint)
        #expect(again.counts?.ran == 0 && again.counts?.cached == 7, "\(again.stderr)")
    }

    @Test func aNodeKilledMidwayResumesWithoutResendingAFinishedRequest() throws {
        // Requests are answered one at a time; request 20 is held and then dropped, and the run is killed
        // while it waits, so requests 0-19 are exactly the ones it finished.
        let server = LoopbackChatServer { index, _ in
            index == 20 ? .after(seconds: 2, .drop) : .chat(["Verdict: A"])
        }
        let p = Project()
        p.write("wf.yaml", """
            x-world: &world {image_size: 24, grid: 3, max_objects: 2}
            stages:
              bench:
                uses: world.benchmark
                with: {<<: *world, items_per_category: 10}
              eval:
                uses: judge.eval
                inputs: {benchmark: bench}
                with: {backend: openai, endpoint: "\(server.baseURL)", model: tiny-test, in_flight: 1, logprobs: false}
            """)
        let started = p.start(["run", "wf.yaml"])
        let deadline = Date().addingTimeInterval(120)
        while server.requests.count < 21 && Date() < deadline && started.0.isRunning { usleep(10_000) }
        #expect(server.requests.count == 21, "the run did not reach request 20")
        kill(started.0.processIdentifier, SIGKILL)
        _ = p.finish(started)
        let finished = Set(server.requests.prefix(20).filter(\.answered).map(\.body))
        #expect(finished.count == 20)
        let before = server.requests.count
        let rerun = p.judgeflow("run", "wf.yaml")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let resent = server.requests.dropFirst(before).filter { finished.contains($0.body) }
        #expect(resent.isEmpty, "\(resent.count) finished requests were sent again")
        let all = Set(server.requests.filter(\.answered).map(\.body))
        #expect(server.requests.dropFirst(before).count == all.count - 20, "the rerun sent a request twice")
    }

    /// llama-server's binary (built by ../shared/real-server) and the directory of its GGUF files, or nil
    /// after recording loudly that they are missing.
    static func llamaServer(_ what: String) -> (binary: String, models: String)? {
        let environment = ProcessInfo.processInfo.environment
        let binary = environment["JUDGEFLOW_LLAMA_SERVER"]
            ?? NSHomeDirectory() + "/.cache/llama-server-build/build/bin/llama-server"
        let models = ((root + "/../shared/real-server") as NSString).standardizingPath
        if FileManager.default.isExecutableFile(atPath: binary), FileManager.default.fileExists(atPath: models + "/tiny-qwen2vl-f32.gguf") {
            return (binary, models)
        }
        let message = "NO LLAMA-SERVER: \(binary) or \(models)/tiny-qwen2vl-f32.gguf is missing, so \(what) was not checked. "
            + ".ci/run builds it (bash ../shared/real-server/llama-server.sh install); JUDGEFLOW_LLAMA_SERVER names another binary"
        Issue.record(Comment(rawValue: message))
        return nil
    }

    static func managedWorkflow(binary: String, models: String, count: Int) -> String {
        """
        params:
          gguf: \(models)
        servers:
          llama:
            command: "\(binary) -m {model} --mmproj ${gguf}/mmproj-tiny-qwen2vl-f32.gguf --host 127.0.0.1 --port {port} -np 4 -c 4096 -t 1 --no-warmup --offline"
            ready_timeout: 60
        stages:
          weights:
            uses: shell
            with: {cmd: "cp ${gguf}/tiny-qwen2vl-f32.gguf weights.gguf", outs: [weights.gguf]}
          answers:
            uses: model.eval
            inputs: {model: weights}
            with: {backend: openai, server: llama, count: \(count), max_tokens: 4, image_size: 24, grid: 3, max_objects: 3}
        """
    }

    /// Pids of processes whose command line mentions `marker`.
    static func processes(mentioning marker: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker) && pid != getpid()
        }
    }

    @Test func aManagedServerServesTheNodesModelInputAndStopsAfterIt() throws {
        guard let (binary, models) = Self.llamaServer("a managed server") else { return }
        let p = Project()
        p.write("wf.yaml", Self.managedWorkflow(binary: binary, models: models, count: 2))
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0 && run.counts?.ran == 2, "\(run.stderr)")
        let show = p.judgeflow("show", "answers")
        let log = show.stdout.split(separator: "\n").first { $0.hasPrefix("log: ") }.map { String($0.dropFirst(5)) } ?? ""
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("server ready at http://127.0.0.1:"), "\(text)")
        // 2 questions per family (11 families) and 2 about absent combinations.
        #expect(text.contains("answering: 24/24 requests"), "\(text)")
        #expect(Self.processes(mentioning: p.directory).isEmpty, "the server outlived its node")
    }

    @Test func aManagedServerDiesWithAKilledJudgeflowAndTheRerunFinishes() throws {
        guard let (binary, models) = Self.llamaServer("a managed server under SIGKILL") else { return }
        let p = Project()
        p.write("wf.yaml", Self.managedWorkflow(binary: binary, models: models, count: 60))
        let started = p.start(["run", "wf.yaml"])
        let deadline = Date().addingTimeInterval(60)
        while Self.processes(mentioning: "mmproj-tiny-qwen2vl").filter({ pid in
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains(p.directory) == true
        }).isEmpty && Date() < deadline && started.0.isRunning { usleep(20_000) }
        usleep(300_000)
        let servers = Self.processes(mentioning: p.directory)
        #expect(!servers.isEmpty, "no server was started")
        kill(started.0.processIdentifier, SIGKILL)
        _ = p.finish(started)
        let gone = Date().addingTimeInterval(30)
        while !Self.processes(mentioning: p.directory).isEmpty && Date() < gone { usleep(50_000) }
        #expect(Self.processes(mentioning: p.directory).isEmpty, "the server outlived a SIGKILLed judgeflow")
        let rerun = p.judgeflow("run", "wf.yaml")
        #expect(rerun.status == 0, "\(rerun.stderr)")
    }
}
