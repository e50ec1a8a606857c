import Foundation
import Testing

/// Outputs a user can take away: `show` names where each output is, `export` writes them out of the
/// store as plain files, and `world scene` draws the world the workflows use.
@Suite struct TakeAwayTests {
    let workflow = """
    stages:
      dir: {uses: shell, with: {cmd: "mkdir -p d/sub && echo one > d/a && echo two > d/sub/b", outs: [d]}}
      text: {uses: shell, with: {cmd: "echo hello"}}
    """

    @Test func showPrintsTheStoredPathOfEveryFileOutput() throws {
        let p = Project()
        p.write("wf.yaml", workflow)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let show = p.judgeflow("show", "text")
        let line = try #require(show.stdout.split(separator: "\n").first { $0.contains("path: ") })
        let path = String(line.split(separator: " ").last ?? "")
        #expect(FileManager.default.contents(atPath: path) == Data("hello\n".utf8))
        #expect(p.judgeflow("show", "dir").stdout.contains("files: judgeflow export dir.d DIR"))
    }

    @Test func exportWritesANodesOutputsAsPlainFiles() throws {
        let p = Project()
        p.write("wf.yaml", workflow)
        #expect(p.judgeflow("run", "wf.yaml").status == 0)
        let all = p.judgeflow("export", "text", "out/all")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(p.read("out/all/stdout") == "hello\n")
        let tree = p.judgeflow("export", "dir.d", "out/tree")
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(p.read("out/tree/a") == "one\n" && p.read("out/tree/sub/b") == "two\n")
        let wrong = p.judgeflow("export", "dir.nope", "out/x")
        #expect(wrong.status == 2 && wrong.stderr.contains("has no output 'nope'; it has d"))
        #expect(p.judgeflow("export", "nowhere", "out/x").status == 1)
    }

    @Test func worldSceneTakesTheWorkflowsWorldParams() throws {
        let p = Project()
        let scene = p.judgeflow("world", "scene", "--seed", "1", "--index", "3", "--set", "image_size=24", "--set", "grid=3",
                                "--set", "max_objects=3")
        #expect(scene.status == 0, "\(scene.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(scene.stdout.utf8)) as? [String: Any])
        #expect(json["image_size"] as? Int == 24 && json["grid"] as? Int == 3)
        #expect(((json["objects"] as? [Any])?.count ?? 0) <= 3)
        let bad = p.judgeflow("world", "scene", "--seed", "1", "--set", "grid=5", "--set", "image_size=24")
        #expect(bad.status == 2 && bad.stderr.contains("not a multiple of grid"))
    }
}
