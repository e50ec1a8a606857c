import Foundation
import Testing

@Suite struct RobustnessTests {
    @Test func malformedWorkflowExitsTwoWithLocationAndHint() {
        let p = Project()
        p.write("wf.yaml", "stages:\n  a:\n    uses: shel\n    with: {cmd: echo}\n  b:\n    uses: shell\n    inputs: {in: nowhere}\n    with: {cmd: echo}\n")
        let r = p.judgeflow("run", "wf.yaml")
        #expect(r.status == 2)
        #expect(r.stderr.contains("wf.yaml:3:11: error: unknown node type 'shel'"))
        #expect(r.stderr.contains("hint: did you mean 'shell'?"))
        #expect(r.stderr.contains("wf.yaml:7:18: error: 'nowhere' refers to no node named 'nowhere'"))
        #expect(r.stderr.contains("2 errors; nothing was run."))
    }

    @Test func unknownFlagIsAUsageErrorWithSuggestion() {
        let r = Project().judgeflow("run", "wf.yaml", "--dryrun")
        #expect(r.status == 2)
        #expect(r.stderr.contains("Did you mean '--dry-run'?"))
    }

    @Test func failingNodeSkipsDependentsWhileIndependentBranchesFinish() {
        let p = Project()
        p.write("wf.yaml", """
        params: {fail: 1}
        stages:
          bad: {uses: shell, with: {cmd: "echo about to fail; test ${fail} = 0"}}
          after: {uses: shell, inputs: {in: bad}, with: {cmd: "cat $JF_IN_IN"}}
          good: {uses: shell, with: {cmd: "echo fine"}}
        """)
        let r = p.judgeflow("run", "wf.yaml", "-j", "1")
        #expect(r.status == 1)
        #expect(r.stderr.contains("✗ bad FAILED: command exited with status 1"))
        #expect(r.stderr.contains("│ about to fail"))
        #expect(r.stderr.contains("- after skipped: upstream bad did not succeed"))
        #expect(r.stderr.contains("✓ good"))
        let fixed = p.judgeflow("run", "wf.yaml", "--set", "fail=0")
        #expect(fixed.status == 0)
        #expect(fixed.counts?.ran == 2 && fixed.counts?.cached == 1)
    }

    @Test func killedRunLeavesNoRecordedOutputAndTheNextRunResumes() {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          first: {uses: shell, with: {cmd: "echo one"}}
          victim:
            uses: shell
            inputs: {in: first}
            with: {cmd: "echo partial; if [ ! -f killed ]; then touch killed; kill -9 $PPID; sleep 5; fi; echo done"}
        """)
        let killed = p.judgeflow("run", "wf.yaml", "-j", "1")
        #expect(killed.status != 0)
        let status = p.judgeflow("status", "wf.yaml", "--json")
        #expect(status.stdout.contains("\"stale\" : 1"))
        let resumed = p.judgeflow("run", "wf.yaml")
        #expect(resumed.status == 0)
        #expect(resumed.counts?.ran == 1 && resumed.counts?.cached == 1)
        let show = p.judgeflow("show", "victim")
        #expect(show.stdout.contains("stdout: "))
    }

    @Test func concurrentRunsOnOneStoreBuildEachNodeOnce() {
        let p = Project()
        p.write("wf.yaml", """
        stages:
          a: {uses: shell, with: {cmd: "echo a >> ../builds-$(basename $PWD); sleep 0.5; echo a"}}
          b: {uses: shell, with: {cmd: "echo b >> ../builds-$(basename $PWD); sleep 0.5; echo b"}}
          c: {uses: shell, inputs: {in: [a, b]}, with: {cmd: "echo c >> ../builds-$(basename $PWD); cat $JF_IN_IN"}}
        """)
        let first = p.start(["run", "wf.yaml"]), second = p.start(["run", "wf.yaml"])
        let r1 = p.finish(first), r2 = p.finish(second)
        #expect(r1.status == 0 && r2.status == 0, "\(r1.stderr)\n\(r2.stderr)")
        let log = (try? String(contentsOfFile: (p.directory as NSString).deletingLastPathComponent + "/builds-"
                               + (p.directory as NSString).lastPathComponent, encoding: .utf8)) ?? ""
        #expect(log.split(separator: "\n").sorted() == ["a", "b", "c"])
        #expect((r1.counts?.ran ?? 0) + (r2.counts?.ran ?? 0) == 3)
    }

    @Test func corruptObjectIsQuarantinedByVerifyAndRebuilt() throws {
        let p = Project()
        p.write("wf.yaml", "stages:\n  a: {uses: shell, with: {cmd: echo precious}}\n")
        p.judgeflow("run", "wf.yaml")
        let show = p.judgeflow("show", "a", "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let digest = try #require(((json["outputs"] as? [String: Any])?["stdout"] as? [String: Any])?["digest"] as? String)
        let object = p.directory + "/artifacts/objects/\(digest.prefix(2))/\(digest)"
        chmod(object, 0o644)
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: object))
        let verify = p.judgeflow("verify")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("1 corrupt"))
        #expect(p.judgeflow("status", "wf.yaml").stdout.contains("outputs missing from the store"))
        let rebuilt = p.judgeflow("run", "wf.yaml")
        #expect(rebuilt.counts?.ran == 1)
        #expect(p.judgeflow("verify").status == 0)
    }

    @Test func lockFileReproducesEveryDigestInAFreshStore() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        let lock = p.judgeflow("lock", "wf.yaml")
        #expect(lock.status == 0, "\(lock.stderr)")
        let again = p.judgeflow("run", "wf.yaml.lock", "--store", "fresh-store")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.counts?.ran == 9)
        #expect(again.stderr.contains("reproduced: every key and output digest matches"))
        p.write("data/in_0.txt", "different\n")
        let differs = p.judgeflow("run", "wf.yaml.lock", "--store", "other-store")
        #expect(differs.status == 1)
        #expect(differs.stderr.contains("low_0: key"))
    }

    @Test func gcKeepsTheLatestRunAndDropsSupersededOutputs() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        p.judgeflow("run", "wf.yaml", "--set", "p=2")
        let gc = p.judgeflow("gc")
        #expect(gc.stdout.contains("removed 3 records"), "\(gc.stdout)")
        let again = p.judgeflow("run", "wf.yaml", "--set", "p=2")
        #expect(again.counts?.ran == 0)
    }
}
