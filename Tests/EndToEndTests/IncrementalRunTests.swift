import Foundation
import Testing

/// A 3×3 layered DAG like the peer benchmark's: stage (l, i) reads (l-1, i) and (l-1, i+1 mod 3);
/// `mid_0` also reads the param `p`, so editing `p` must rerun exactly mid_0 and its cone (mid_0,
/// top_0, top_2: 3 nodes).
let layered: String = {
    var lines = ["params:", "  p: 1", "stages:"]
    let layers = ["low", "mid", "top"]
    for (l, layer) in layers.enumerated() {
        for i in 0..<3 {
            let deps = l == 0 ? ["data/in_\(i).txt"] : ["out/\(layers[l - 1])_\(i).txt", "out/\(layers[l - 1])_\((i + 1) % 3).txt"]
            let extra = (layer == "mid" && i == 0) ? " && echo p=${p} >> out/\(layer)_\(i).txt" : ""
            lines += ["  \(layer)_\(i):", "    uses: shell", "    with:",
                      "      cmd: mkdir -p out && cat \(deps.joined(separator: " ")) | sha256sum > out/\(layer)_\(i).txt\(extra)",
                      "      deps: [\(deps.joined(separator: ", "))]", "      outs: [out/\(layer)_\(i).txt]"]
        }
    }
    return lines.joined(separator: "\n") + "\n"
}()

func layeredProject() -> Project {
    let p = Project()
    p.write("wf.yaml", layered)
    for i in 0..<3 { p.write("data/in_\(i).txt", "input \(i)\n") }
    return p
}

@Suite struct IncrementalRunTests {
    @Test func coldRunThenNoOpRunsNothing() {
        let p = layeredProject()
        let cold = p.judgeflow("run", "wf.yaml")
        #expect(cold.status == 0, "\(cold.stderr)")
        #expect(cold.counts?.ran == 9)
        let again = p.judgeflow("run", "wf.yaml")
        #expect(again.counts?.ran == 0 && again.counts?.cached == 9)
        #expect(p.judgeflow("status", "wf.yaml").stdout.contains("everything is up to date (9 nodes)"))
    }

    @Test func editingOneParamRerunsOnlyItsCone() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        let status = p.judgeflow("status", "wf.yaml", "--set", "p=2")
        #expect(status.stdout.contains("stale: mid_0\n    param cmd changed"))
        #expect(status.stdout.contains("3 of 9 nodes are stale"))
        let edited = p.judgeflow("run", "wf.yaml", "--set", "p=2")
        #expect(edited.counts?.ran == 3 && edited.counts?.cached == 6)
    }

    @Test func editingASourceFileRerunsItsConeAndNamesTheFile() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        p.write("data/in_1.txt", "changed\n")
        #expect(p.judgeflow("status", "wf.yaml").stdout.contains("file data/in_1.txt changed"))
        let edited = p.judgeflow("run", "wf.yaml")
        // low_1 feeds mid_0 and mid_1, which feed all of top.
        #expect(edited.counts?.ran == 6)
    }

    @Test func earlyCutoffSparesDependentsOfUnchangedOutputs() {
        let p = Project()
        p.write("wf.yaml", """
        params: {word: hello}
        stages:
          count:
            uses: shell
            with: {cmd: "echo ${word} | wc -c"}
          report:
            uses: shell
            inputs: {in: count}
            with: {cmd: "cat $JF_IN_IN"}
        """)
        p.judgeflow("run", "wf.yaml")
        let edited = p.judgeflow("run", "wf.yaml", "--set", "word=world")
        #expect(edited.counts?.ran == 1 && edited.counts?.cached == 1, "\(edited.stderr)")
    }

    @Test func deletedWorkspaceOutputIsRestoredNotRebuilt() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        let before = p.read("out/top_1.txt")
        try? FileManager.default.removeItem(atPath: p.directory + "/out/top_1.txt")
        let again = p.judgeflow("run", "wf.yaml")
        #expect(again.counts?.ran == 0)
        #expect(p.read("out/top_1.txt") == before)
    }

    @Test func anOutputEditedAfterItsDigestWasRememberedIsStillRestored() {
        let p = layeredProject()
        p.judgeflow("run", "wf.yaml")
        let before = p.read("out/top_1.txt")!
        // Past the filesystem's timestamp tick, so this no-op remembers every output's digest.
        usleep(50_000)
        #expect(p.judgeflow("run", "wf.yaml").counts?.ran == 0)
        // The same size, in place, right after: only the file's ctime tells it changed.
        p.write("out/top_1.txt", String(before.reversed()))
        let again = p.judgeflow("run", "wf.yaml")
        #expect(again.counts?.ran == 0)
        #expect(p.read("out/top_1.txt") == before)
    }

    @Test func dryRunExplainsWithoutRunning() {
        let p = layeredProject()
        let dry = p.judgeflow("run", "wf.yaml", "--dry-run")
        #expect(dry.stdout.contains("would run: low_0\n    never run"))
        #expect(dry.stdout.contains("would run: top_2\n    never run\n    input from mid_0, mid_2 will be rebuilt"))
        #expect(!FileManager.default.fileExists(atPath: p.directory + "/out"))
    }

    @Test func forceRerunsANodeAndOnlyRunsTheOnesAsked() {
        let p = layeredProject()
        let only = p.judgeflow("run", "wf.yaml", "--only", "mid_1")
        #expect(only.counts?.ran == 3)  // low_1, low_2, mid_1
        let forced = p.judgeflow("run", "wf.yaml", "--force", "low_0")
        #expect(forced.counts?.ran == 6)  // low_0 (forced; never built either), mid_0, mid_2 and all of top
    }
}
