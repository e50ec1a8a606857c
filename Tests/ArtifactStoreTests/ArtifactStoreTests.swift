import ArtifactStore
import Foundation
import Testing

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "jf-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct ArtifactStoreTests {
    @Test func sha256MatchesTheKnownVector() {
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func blobsAreNamedByContentAndReadBack() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let d = try store.put(Array("hello".utf8))
        #expect(d == Digest.of("hello"))
        #expect(try store.read(d) == Array("hello".utf8))
        #expect(try store.put(Array("hello".utf8)) == d)
    }

    @Test func corruptBlobIsDetectedOnReadAndQuarantined() throws {
        let root = temporaryDirectory()
        let store = try ArtifactStore(root: root)
        let d = try store.put(Array("precious".utf8))
        chmod(store.displayPath(of: d), 0o644)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: store.displayPath(of: d)))
        #expect(throws: StoreError.self) { try store.read(d) }
        #expect(!store.hasObject(d))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/quarantine").count == 1)
    }

    @Test func manifestMissesWhenAnOutputBlobIsGone() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let d = try store.put(Array("out".utf8))
        let key = Digest.of("key")
        let run = RunRecord(started: 0, seconds: 0, exitStatus: 0, log: nil, params: "{}", inputs: [:], threads: 1)
        try store.record(Manifest(key: key, node: "n", type: "t", implementation: "1",
                                  outputs: ["o": OutputRef(digest: d, size: 3, isTree: false)], run: run))
        #expect(store.manifest(for: key) != nil)
        store.quarantine(d)
        #expect(store.manifest(for: key) == nil)
    }

    @Test func verifyReportsAndQuarantinesCorruptObjects() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let good = try store.put(Array("good".utf8))
        let bad = try store.put(Array("bad".utf8))
        chmod(store.displayPath(of: bad), 0o644)
        try Data("worse".utf8).write(to: URL(fileURLWithPath: store.displayPath(of: bad)))
        let report = store.verify()
        #expect(report.checked == 2)
        #expect(report.corrupt == [bad.hex])
        #expect(store.hasObject(good) && !store.hasObject(bad))
    }

    @Test func gcKeepsWhatTheLatestRunReferencesAndNothingElse() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let run = RunRecord(started: 0, seconds: 0, exitStatus: 0, log: nil, params: "{}", inputs: [:], threads: 1)
        let kept = try store.put(Array("kept".utf8)), dropped = try store.put(Array("dropped".utf8))
        for (name, blob) in [("kept", kept), ("dropped", dropped)] {
            try store.record(Manifest(key: Digest.of(name), node: name, type: "t", implementation: "1",
                                      outputs: ["o": OutputRef(digest: blob, size: 1, isTree: false)], run: run))
        }
        try store.saveWorkflowRecord(WorkflowRecord(workflow: "w", updated: 0, nodes: [
            "kept": NodeRecord(key: Digest.of("kept"), type: "t", implementation: "1", params: [:], inputs: [:]),
        ]), id: "w")
        let report = try store.collectGarbage()
        #expect(report.removedActions == 1 && report.removedObjects == 1)
        #expect(store.manifest(for: Digest.of("kept")) != nil && store.hasObject(kept))
        #expect(!store.hasObject(dropped))
    }

    @Test func gcRefusesToRunWhileARunHoldsTheStore() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let held = try store.lockForRun()
        #expect(throws: ArtifactStore.CollectError.self) { try store.collectGarbage() }
        withExtendedLifetime(held) {}
    }

    @Test func directoriesAreStoredAsTreesAndMaterialized() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/d/sub", withIntermediateDirectories: true)
        try Data("1".utf8).write(to: URL(fileURLWithPath: dir + "/d/a.txt"))
        try Data("2".utf8).write(to: URL(fileURLWithPath: dir + "/d/sub/b.txt"))
        let store = try ArtifactStore(root: dir + "/store")
        let ref = try store.putDirectory(dir + "/d")
        #expect(ref.isTree && ref.size == 2)
        try store.materialize(ref, at: dir + "/copy")
        #expect(FileManager.default.contents(atPath: dir + "/copy/sub/b.txt") == Data("2".utf8))
    }
}
