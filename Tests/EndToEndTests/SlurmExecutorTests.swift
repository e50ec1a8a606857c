import Foundation
import Testing

/// The Slurm executor against a real Slurm cluster (Debian's slurm-wlm on loopback, which `.ci/run`
/// starts with ../shared/slurm/local-cluster.sh): artifacts identical to a local run, every node a job,
/// a killed driver resumed without duplicate jobs, jobs cancelled, timed out or over their memory failing
/// their node clearly, and a local and a Slurm driver sharing one store. Serialized: the cluster has as
/// many CPUs as this machine.
@Suite(.serialized) struct SlurmExecutorTests {
    /// True when a Slurm controller answers; otherwise records loudly what was not checked.
    static func slurm(_ what: String) -> Bool {
        let states = shell("timeout 5 sinfo -h -o %T").output
        if ["idle", "mix", "alloc"].contains(where: states.contains) { return true }
        Issue.record("""
            NO SLURM: no Slurm controller answers (sinfo), so \(what) was not checked against real Slurm. \
            .ci/run starts one; by hand: bash ../shared/slurm/local-cluster.sh install && bash ../shared/slurm/local-cluster.sh start
            """)
        return false
    }

    @discardableResult
    static func shell(_ command: String) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try? process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Every node's output digests, executor and job id, from `judgeflow show --json`.
    static func nodes(_ p: Project, _ workflow: String, store: String, _ extra: [String] = []) throws -> [String: [String: Any]] {
        let dag = p.judgeflow(["dag", workflow, "--json"] + extra)
        let names = try #require(try JSONSerialization.jsonObject(with: Data(dag.stdout.utf8)) as? [String: Any])["nodes"] as? [[String: Any]]
        var result: [String: [String: Any]] = [:]
        for name in try #require(names).compactMap({ $0["name"] as? String }) {
            let show = p.judgeflow("show", name, "--workflow", workflow, "--store", store, "--json")
            result[name] = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        }
        return result
    }

    static func digests(_ node: [String: Any]?) -> [String: String] {
        ((node?["outputs"] as? [String: [String: Any]]) ?? [:]).mapValues { $0["digest"] as? String ?? "" }
    }

    /// Waits until a job named for one of the store's keys is RUNNING; its id.
    static func runningJob(timeout: Double = 60) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = shell("squeue -h -t RUNNING -o '%i %j'").output
            if let line = out.split(separator: "\n").first(where: { $0.contains(" jf-") }) { return String(line.split(separator: " ")[0]) }
            usleep(100_000)
        }
        return nil
    }

    static func waitForEmptyQueue() {
        for _ in 0..<300 where shell("squeue -h -o '%j'").output.contains("jf-") { usleep(100_000) }
    }

    @Test func theShellExampleAndTheQuickstartUnderSlurmMatchALocalRunByteForByteWithEveryNodeAJob() throws {
        guard Self.slurm("byte-identical artifacts under --executor slurm") else { return }
        let p = Project()
        p.write("wf/shell-pipeline.yaml", try String(contentsOfFile: Self.root + "/workflows/examples/shell-pipeline.yaml", encoding: .utf8))
        let quickstart = Self.root + "/workflows/quickstart.yaml"
        for (workflow, extra) in [("wf/shell-pipeline.yaml", [String]()), (quickstart, LoopJourneyTests.tiny)] {
            let local = p.judgeflow(["run", workflow, "--store", "local"] + extra)
            #expect(local.status == 0, "\(local.stderr.suffix(1500))")
            let slurm = p.judgeflow(["run", workflow, "--store", "slurm", "--executor", "slurm", "-j", "4"] + extra)
            #expect(slurm.status == 0, "\(slurm.stderr.suffix(1500))")
            let a = try Self.nodes(p, workflow, store: "local", extra), b = try Self.nodes(p, workflow, store: "slurm", extra)
            #expect(!a.isEmpty && a.count == b.count)
            for (name, node) in a {
                #expect(!Self.digests(node).isEmpty && Self.digests(node) == Self.digests(b[name]), "\(name) differs between executors")
                #expect(node["executor"] as? String == "local")
                #expect(b[name]?["executor"] as? String == "slurm", "\(name) did not run as a Slurm job")
                #expect(Int(b[name]?["job"] as? String ?? "") != nil, "\(name) has no Slurm job id: \(b[name] ?? [:])")
            }
            // One job per key (at toy size two quickstart nodes can share a key: the store builds it once).
            let jobs = Set(b.values.compactMap { $0["job"] as? String }), keys = Set(b.values.compactMap { $0["key"] as? String })
            #expect(jobs.count == keys.count, "one job per key")
        }
    }

    /// The Slurm job id of a node's latest job in `store`, read from the job scripts the driver wrote.
    static func job(of node: String, store: String) -> String? {
        let jobs = store + "/jobs"
        for dir in (try? FileManager.default.contentsOfDirectory(atPath: jobs)) ?? [] {
            guard let script = try? String(contentsOfFile: "\(jobs)/\(dir)/job.sh", encoding: .utf8),
                  script.contains("# judgeflow: node \(node) of") else { continue }
            let logs = ((try? FileManager.default.contentsOfDirectory(atPath: "\(jobs)/\(dir)")) ?? []).filter { $0.hasSuffix(".log") }
            return logs.compactMap { Int($0.dropLast(4)) }.max().map(String.init)
        }
        return nil
    }

    static func state(of job: String) -> String {
        shell("squeue -h -t all -j \(job) -o %T").output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    /// `a` is quick, `b` sleeps, `c` reads both; each command appends its name to `counts` when it runs.
    static let sleepy = """
        stages:
          a: {uses: shell, with: {cmd: "echo a >> $COUNTS; echo A"}}
          b: {uses: shell, with: {cmd: "echo b >> $COUNTS; sleep 5; echo B"}}
          c: {uses: shell, inputs: {in: [a, b]}, with: {cmd: "echo c >> $COUNTS; cat $JF_IN_IN"}}

        """

    @Test func aDriverKilledMidRunIsResumedWithoutDuplicateJobsOrRerunningFinishedNodes() throws {
        guard Self.slurm("resuming after the driver was SIGKILLed") else { return }
        let p = Project()
        p.write("wf/w.yaml", Self.sleepy.replacingOccurrences(of: "$COUNTS", with: p.directory + "/counts"))
        let store = p.directory + "/store"
        let driver = p.start(["run", "wf/w.yaml", "--store", store, "--executor", "slurm", "-j", "4"])
        let bRunning = Self.waitUntil(60) { Self.job(of: "b", store: store).map { Self.state(of: $0) == "RUNNING" } ?? false }
        #expect(bRunning, "b's job never ran")
        #expect(Self.waitUntil(30) { p.read("counts")?.contains("a") ?? false })
        usleep(1_500_000)    // a's job finishes and stores its result
        kill(driver.0.processIdentifier, SIGKILL)
        _ = p.finish(driver)
        let first = Self.job(of: "b", store: store)

        let rerun = p.judgeflow("run", "wf/w.yaml", "--store", store, "--executor", "slurm", "-j", "4", "-v")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("adopting slurm job \(first ?? "?")"), "\(rerun.stderr)")
        // Every command ran once: no duplicate job for b, a not rebuilt.
        let counts = (p.read("counts") ?? "").split(separator: "\n").sorted()
        #expect(counts == ["a", "b", "c"], "\(counts)")
        #expect(Self.job(of: "b", store: store) == first, "a second job was submitted for b")

        let local = p.judgeflow("run", "wf/w.yaml", "--store", "local")
        #expect(local.status == 0)
        let slurmNodes = try Self.nodes(p, "wf/w.yaml", store: store), localNodes = try Self.nodes(p, "wf/w.yaml", store: "local")
        #expect(Self.digests(slurmNodes["c"]) == Self.digests(localNodes["c"]) && !Self.digests(localNodes["c"]).isEmpty)
    }

    @Test func ajobCancelledTimedOutOrOverItsMemoryFailsItsNodeByNameAndStateAndARerunRecoversOnlyThoseNodes() throws {
        guard Self.slurm("jobs cancelled, over time or over memory") else { return }
        let config = Self.shell("scontrol show config").output
        let enforcesMemory = config.contains("OverMemoryKill") || config.contains("task/cgroup")
        if !enforcesMemory {
            Issue.record("SLURM WITHOUT MEMORY LIMITS: this cluster neither polls job memory (JobAcctGatherParams=OverMemoryKill) nor uses cgroups, so a job over its memory is not killed; .ci/run configures the test cluster to")
        }
        let p = Project()
        let slow = p.directory + "/slow"
        p.write("slow", "")
        p.write("wf/w.yaml", """
            stages:
              fine: {uses: shell, with: {cmd: "echo fine"}}
              doomed: {uses: shell, with: {cmd: "if [ -f \(slow) ]; then sleep 300; fi; echo doomed"}}
              late:
                uses: shell
                resources: {time: 1}
                with: {cmd: "if [ -f \(slow) ]; then sleep 300; fi; echo late"}
              fat:
                uses: shell
                resources: {memory: 60M}
                with: {cmd: "if [ -f \(slow) ]; then python3 -c 'import time; x = bytearray(400 << 20); time.sleep(20)'; fi; echo fat"}

            """)
        let store = p.directory + "/store"
        let driver = p.start(["run", "wf/w.yaml", "--store", store, "--executor", "slurm", "-j", "4"])
        let running = Self.waitUntil(60) { Self.job(of: "doomed", store: store).map { Self.state(of: $0) == "RUNNING" } ?? false }
        #expect(running, "doomed's job never ran")
        if let job = Self.job(of: "doomed", store: store) { Self.shell("scancel \(job)") }
        let failed = p.finish(driver)
        #expect(failed.status == 1)
        let lines = failed.stderr.split(separator: "\n").map(String.init)
        let doomed = lines.first { $0.contains("✗ doomed") } ?? ""
        #expect(doomed.contains("CANCELLED") && doomed.contains("cancelled"), "\(failed.stderr)")
        let late = lines.first { $0.contains("✗ late") } ?? ""
        #expect(late.contains("TIMEOUT") && late.contains("time limit"), "\(failed.stderr)")
        if enforcesMemory {
            let fat = lines.first { $0.contains("✗ fat") } ?? ""
            #expect(fat.contains("more memory than it asked for"), "\(failed.stderr)")
        }
        #expect(failed.counts?.failed == (enforcesMemory ? 3 : 2), "\(failed.stderr)")

        try FileManager.default.removeItem(atPath: slow)
        let rerun = p.judgeflow("run", "wf/w.yaml", "--store", store, "--executor", "slurm", "-j", "4")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.counts?.ran == (enforcesMemory ? 3 : 2) && rerun.counts?.failed == 0, "\(rerun.stderr)")
    }

    @Test func sigtermOfTheDriverCancelsTheJobsItSubmitted() throws {
        guard Self.slurm("cancelling jobs when the driver is stopped") else { return }
        let p = Project()
        p.write("wf/w.yaml", "stages:\n  nap: {uses: shell, with: {cmd: \"sleep 300\"}}\n")
        let store = p.directory + "/store"
        let driver = p.start(["run", "wf/w.yaml", "--store", store, "--executor", "slurm"])
        #expect(Self.waitUntil(60) { Self.job(of: "nap", store: store).map { Self.state(of: $0) == "RUNNING" } ?? false })
        kill(driver.0.processIdentifier, SIGTERM)
        let result = p.finish(driver)
        #expect(result.status == 128 + SIGTERM, "\(result.stderr)")
        let job = try #require(Self.job(of: "nap", store: store))
        #expect(result.stderr.contains("cancelled 1 slurm job(s): \(job)"), "\(result.stderr)")
        #expect(Self.waitUntil(30) { Self.state(of: job) == "CANCELLED" }, "job \(job) is \(Self.state(of: job))")
    }

    @Test func aLocalAndASlurmDriverOnOneStoreComputeEachNodeOnce() throws {
        guard Self.slurm("two drivers on one store") else { return }
        let p = Project()
        var stages = "stages:\n"
        for n in 1...6 { stages += "  n\(n): {uses: shell, with: {cmd: \"echo n\(n) >> \(p.directory)/counts; sleep 1; echo \(n)\"}}\n" }
        stages += "  all: {uses: shell, inputs: {in: [n1, n2, n3, n4, n5, n6]}, with: {cmd: \"echo all >> \(p.directory)/counts; cat $JF_IN_IN\"}}\n"
        p.write("wf/w.yaml", stages)
        let slurm = p.start(["run", "wf/w.yaml", "--store", "store", "--executor", "slurm", "-j", "6"])
        let local = p.start(["run", "wf/w.yaml", "--store", "store", "-j", "2"])
        let a = p.finish(slurm), b = p.finish(local)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\n\(b.stderr)")
        let counts = (p.read("counts") ?? "").split(separator: "\n").map(String.init).sorted()
        #expect(counts == ["all", "n1", "n2", "n3", "n4", "n5", "n6"], "\(counts)")
        let nodes = try Self.nodes(p, "wf/w.yaml", store: "store")
        let executors = Set(nodes.values.compactMap { $0["executor"] as? String })
        #expect(nodes.count == 7 && executors.count >= 1)
    }
}
