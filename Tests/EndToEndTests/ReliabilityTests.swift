import Foundation
import Testing

/// Regression tests for the reliability reproducers (../shared/reliability-repro): a cached result is
/// the right one wherever the store is, bad input is refused before anything runs, and the store heals
/// what it finds corrupt.
@Suite struct ReliabilityTests {
    static let shellExample: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("workflows/examples/shell-pipeline.yaml"), encoding: .utf8)) ?? ""
    }()

    func stdoutDigest(_ p: Project, _ node: String, store: String) -> String? {
        let show = p.judgeflow("show", node, "--store", store, "--json")
        guard let json = try? JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any],
              let outputs = json["outputs"] as? [String: Any], let stdout = outputs["stdout"] as? [String: Any] else { return nil }
        return stdout["digest"] as? String
    }

    @Test func theShellExampleGivesOneResultForARelativeAnAbsoluteAndASpacedStore() throws {
        let p = Project()
        p.write("wf/shell-pipeline.yaml", Self.shellExample)
        // Relative to the caller, while the command runs in wf/: inputs must still resolve.
        let stores = ["artifacts", p.directory + "/absolute", p.directory + "/with space/my store"]
        var digests: [String] = []
        for store in stores {
            let r = p.judgeflow("run", "wf/shell-pipeline.yaml", "--store", store)
            #expect(r.status == 0, "\(store): \(r.stderr)")
            digests.append(stdoutDigest(p, "count", store: store) ?? "none")
        }
        #expect(Set(digests).count == 1, "\(digests)")
        let relative = p.directory + "/artifacts/objects/\(digests[0].prefix(2))/\(digests[0])"
        #expect(p.read(String(relative.dropFirst(p.directory.count + 1)))?.trimmingCharacters(in: .whitespacesAndNewlines) == "60")
    }

    @Test func strictModeFailsAPipelineWhoseFirstCommandFailsAndCanBeTurnedOff() {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          strict: {uses: shell, with: {cmd: "cat missing-file | wc -l"}}
          lenient: {uses: shell, with: {cmd: "cat missing-file | wc -l", strict: false}}
          unset: {uses: shell, with: {cmd: "echo $NOT_SET_ANYWHERE"}}
        """)
        let r = p.judgeflow("run", "wf.yaml")
        #expect(r.status == 1)
        #expect(r.stderr.contains("✗ strict FAILED: command exited with status 1"))
        #expect(r.stderr.contains("✗ unset FAILED"))
        #expect(r.stderr.contains("NOT_SET_ANYWHERE: unbound variable"))
        #expect(r.stderr.contains("✓ lenient"))
    }

    @Test func aCorruptFileInADirectoryOutputIsRebuiltOnTheNextRun() throws {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          dir: {uses: shell, with: {cmd: "mkdir -p d && echo payload > d/f", outs: [d]}}
          use: {uses: shell, inputs: {in: dir}, with: {cmd: "cat $JF_IN_IN/f"}}
        """)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        #expect(try p.corruptBlobs { $0 == "payload\n" } == 1)
        try FileManager.default.removeItem(atPath: p.directory + "/d")
        let found = p.judgeflow("run", "wf.yaml")
        #expect(found.stderr.contains("quarantined; rerun to rebuild it"))
        let healed = p.judgeflow("run", "wf.yaml")
        #expect(healed.status == 0, "\(healed.stderr)")
        #expect(healed.counts?.ran == 1)
        #expect(p.read("d/f") == "payload\n")
    }

    @Test func outOfRangeParamsAreRefusedBeforeAnyNodeRuns() {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          m: {uses: model.pretrain, with: {seed: -1, scenes: 10, steps: 1, lr: 1e9}}
          other: {uses: shell, with: {cmd: "touch ran"}}
        """)
        for command in [["run", "wf.yaml", "-q"], ["status", "wf.yaml", "--json"], ["run", "wf.yaml", "--dry-run"]] {
            let r = p.judgeflow(command[0], command[1], command[2])
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.contains("wf.yaml:2:42: error: param 'seed' of 'm' must be ≥ 0, found -1"))
            #expect(r.stderr.contains("param 'lr' of 'm' must lie in 0…10"))
        }
        #expect(p.read("ran") == nil)
    }

    @Test func outputsOutsideTheWorkflowAndLinksToDevicesAreRefused() {
        let p = Project()
        p.write("a/wf.yaml", "stages:\n  up: {uses: shell, with: {cmd: \"echo x > ../escaped.txt\", outs: [\"../escaped.txt\"]}}\n")
        let escape = p.judgeflow("run", "a/wf.yaml")
        #expect(escape.status == 2)
        #expect(escape.stderr.contains("'../escaped.txt' would be written outside the workflow's directory"))
        #expect(p.read("escaped.txt") == nil)
        p.write("wf.yaml", """
        stages:
          dir: {uses: shell, with: {cmd: "mkdir -p out && ln -sfn /dev/zero out/z", outs: [out]}}
          other: {uses: shell, with: {cmd: "echo independent"}}
        """)
        let link = p.judgeflow("run", "wf.yaml")
        #expect(link.status == 1)
        #expect(link.stderr.contains("storing output 'out': out/z is a symbolic link, not a regular file"))
        #expect(link.stderr.contains("✓ other"))
    }

    @Test func aQuotedParamReachesTheCommandAsOneWordAndRunsNothing() {
        let p = Project()
        p.write("wf.yaml", """
        params: {name: "x; touch PWN1"}
        stages:
          a: {uses: shell, with: {cmd: "echo hello ${name:q}"}}
        """)
        let r = p.judgeflow("run", "wf.yaml")
        #expect(r.status == 0)
        #expect(p.read("PWN1") == nil)
        let show = p.judgeflow("show", "a", "--json")
        #expect(show.stdout.contains("echo hello 'x; touch PWN1'"))
    }

    @Test func aGarbledWorkflowRecordIsReportedAndGcKeepsEverything() throws {
        let p = Project()
        p.write("wf.yaml", Self.shellExample)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let records = p.directory + "/artifacts/workflows"
        for name in try FileManager.default.contentsOfDirectory(atPath: records) {
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: records + "/" + name))
        }
        let status = p.judgeflow("status", "wf.yaml")
        #expect(status.status == 1)
        #expect(status.stderr.contains("unreadable workflow record"))
        let gc = p.judgeflow("gc")
        #expect(gc.status == 1)
        #expect(p.judgeflow("show", "count").status == 1)
        let rerun = p.judgeflow("run", "wf.yaml")
        #expect(rerun.status == 0)
        #expect(rerun.counts?.cached == 4)
        #expect(p.judgeflow("gc").stdout.contains("removed 0 records"))
    }

    @Test func forcingANodeWhoseBlobIsCorruptInPlaceStoresItAgain() throws {
        let p = Project()
        p.write("wf.yaml", "stages:\n  a: {uses: shell, with: {cmd: \"echo stable\"}}\n")
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        guard let digest = stdoutDigest(p, "a", store: "artifacts") else { Issue.record("no output"); return }
        let path = p.directory + "/artifacts/objects/\(digest.prefix(2))/\(digest)"
        chmod(path, 0o644)
        try Data("rotten\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(p.judgeflow("run", "wf.yaml", "--force", "a").status == 0)
        #expect(p.judgeflow("verify").stdout.contains(": 0 corrupt"))
        #expect(FileManager.default.contents(atPath: path) == Data("stable\n".utf8))
    }

    @Test func aLockFileRoundTripsControlCharacters() {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          a: {uses: shell, with: {cmd: "printf '%s' \\"a\\x85b\\"", env: {X: "del\\x7fnel\\x85ls\\u2028"}}}
        """)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        #expect(p.judgeflow("lock", "wf.yaml").status == 0)
        let elsewhere = p.judgeflow("run", "wf.yaml.lock", "--store", p.directory + "/fresh")
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(elsewhere.stderr.contains("reproduced: every key and output digest matches"))
    }
}

@Suite struct CorruptReportTests {
    /// `results` on a report whose blob is corrupt says so (and quarantines it) instead of printing a
    /// fallback table, and the next run rebuilds the report.
    @Test func aCorruptReportIsAnErrorAndTheNextRunRebuildsIt() throws {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            with: {<<: *world, items_per_category: 4}
          eval0:
            uses: judge.eval
            inputs: {judge: base, benchmark: bench}
          report:
            uses: report
            inputs: {evals: [eval0]}
        """)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let good = p.judgeflow("results", "wf.yaml")
        #expect(good.status == 0 && good.stdout.contains("# Self-improvement loop report"))
        let report = good.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try p.corruptBlobs { $0.trimmingCharacters(in: .whitespacesAndNewlines) == report } == 1)
        let bad = p.judgeflow("results", "wf.yaml")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("report: corrupt object") && bad.stderr.contains("run the workflow again"))
        let rerun = p.judgeflow("run", "wf.yaml")
        #expect(rerun.status == 0 && rerun.counts?.ran == 1)
        #expect(p.judgeflow("results", "wf.yaml").stdout == good.stdout)
    }
}

extension Project {
    /// Overwrites, in the default store, every blob whose text `matches`; returns how many.
    func corruptBlobs(where matches: (String) -> Bool) throws -> Int {
        let objects = directory + "/artifacts/objects"
        var corrupted = 0
        for prefix in try FileManager.default.contentsOfDirectory(atPath: objects) {
            for name in try FileManager.default.contentsOfDirectory(atPath: objects + "/" + prefix) {
                let path = objects + "/" + prefix + "/" + name
                guard matches(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)) else { continue }
                chmod(path, 0o644)
                try Data("garbled by a test\n".utf8).write(to: URL(fileURLWithPath: path))
                corrupted += 1
            }
        }
        return corrupted
    }
}
