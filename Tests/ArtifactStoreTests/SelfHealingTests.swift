import ArtifactStore
import Foundation
import Testing

/// What the store verifies and repairs on its own: every blob a manifest names must be present for the
/// manifest to count, files it will not capture are refused by name, and maintenance says what it
/// could not do.
@Suite struct SelfHealingTests {
    let run = RunRecord(started: 0, seconds: 0, exitStatus: 0, log: nil, params: "{}", inputs: [:], threads: 1)

    func directoryOutput(_ store: ArtifactStore, files: [String: String]) throws -> OutputRef {
        let dir = temporaryDirectory()
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return try store.putDirectory(dir)
    }

    func corrupt(_ path: String) throws {
        chmod(path, 0o644)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func aRelativeRootIsMadeAbsoluteOnce() throws {
        let store = try ArtifactStore(root: "relative-store-\(UUID().uuidString)/./x/../s")
        defer { try? FileManager.default.removeItem(atPath: (store.root as NSString).deletingLastPathComponent) }
        #expect(store.root.hasPrefix("/"))
        #expect(store.root == FileManager.default.currentDirectoryPath + "/" + store.root.split(separator: "/").suffix(2).joined(separator: "/"))
        #expect(!store.root.contains("/./") && !store.root.contains("/../"))
    }

    @Test func aQuarantinedTreeEntryMakesItsManifestMissSoTheProducerReruns() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let tree = try directoryOutput(store, files: ["a": "first", "sub/b": "second"])
        let key = Digest.of("dir-key")
        try store.record(Manifest(key: key, node: "dir", type: "t", implementation: "1", outputs: ["d": tree], run: run))
        #expect(store.manifest(for: key) != nil)
        try corrupt(store.displayPath(of: Digest.of("second")))
        // A reader finds the corruption and moves the blob aside …
        #expect(throws: StoreError.self) { try store.materialize(tree, at: temporaryDirectory() + "/out") }
        // … and from then on the manifest no longer counts: the next run rebuilds its producer.
        #expect(store.manifest(for: key) == nil)
        _ = try directoryOutput(store, files: ["a": "first", "sub/b": "second"])
        #expect(store.manifest(for: key) != nil)
    }

    @Test func aMissingLogMakesItsManifestMiss() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let out = try store.put(Array("out".utf8)), log = try store.put(Array("the log".utf8))
        var record = run
        record.log = log
        let key = Digest.of("k")
        try store.record(Manifest(key: key, node: "n", type: "t", implementation: "1",
                                  outputs: ["o": OutputRef(digest: out, size: 3, isTree: false)], run: record))
        #expect(store.manifest(for: key) != nil)
        store.quarantine(log)
        #expect(store.manifest(for: key) == nil)
    }

    @Test func puttingBytesWhoseBlobWasCorruptedInPlaceReplacesIt() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let d = try store.put(Array("payload".utf8))
        try corrupt(store.displayPath(of: d))
        #expect(try store.put(Array("payload".utf8)) == d)
        #expect(try store.read(d) == Array("payload".utf8))
    }

    @Test func aLinkInsideADirectoryOutputIsRefusedByName() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let dir = temporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
        symlink("/dev/zero", dir + "/z")
        let message = Result { try store.putDirectory(dir) }.failureDescription
        #expect(message?.contains("/z is a symbolic link, not a regular file") == true)
    }

    @Test func devicesAndFIFOsAreRefusedBeforeAnyRead() throws {
        #expect(throws: StoreError.self) { try ArtifactStore.hashFile("/dev/zero") }
        let fifo = temporaryDirectory() + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(Result { try ArtifactStore.hashFile(fifo) }.failureDescription?.contains("is a FIFO") == true)
        let store = try ArtifactStore(root: temporaryDirectory())
        #expect(throws: StoreError.self) { try store.putFile("/dev/zero") }
    }

    @Test func verifySaysWhichCorruptBlobsItCouldNotQuarantine() throws {
        let root = temporaryDirectory()
        let store = try ArtifactStore(root: root)
        let d = try store.put(Array("precious".utf8))
        try corrupt(store.displayPath(of: d))
        // A quarantine that cannot be written to (as on a read-only store): renames into it fail.
        try FileManager.default.removeItem(atPath: root + "/quarantine")
        try Data().write(to: URL(fileURLWithPath: root + "/quarantine"))
        let report = store.verify()
        #expect(report.corrupt == [d.hex])
        #expect(report.notQuarantined == [d.hex])
        #expect(store.hasObject(d))
        let message = Result { try store.read(d) }.failureDescription
        #expect(message?.contains("could not be moved aside") == true)
    }

    @Test func gcRemovesTheWorkDirectoriesOfKilledRuns() throws {
        let root = temporaryDirectory()
        let store = try ArtifactStore(root: root)
        let work = try store.makeWorkDirectory()
        try FileManager.default.createDirectory(atPath: work + "/out/deep", withIntermediateDirectories: true)
        try Data("left behind".utf8).write(to: URL(fileURLWithPath: work + "/out/deep/f"))
        _ = try store.collectGarbage()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
    }

    @Test func aGarbledWorkflowRecordIsAnErrorAndGcRefusesToGuessItsRoots() throws {
        let root = temporaryDirectory()
        let store = try ArtifactStore(root: root)
        let out = try store.put(Array("kept".utf8))
        let key = Digest.of("k")
        try store.record(Manifest(key: key, node: "n", type: "t", implementation: "1",
                                  outputs: ["o": OutputRef(digest: out, size: 4, isTree: false)], run: run))
        try store.updateWorkflowRecord(workflow: "w.yaml", nodes: ["n": NodeRecord(key: key, type: "t", implementation: "1",
                                                                                  params: [:], inputs: [:])], id: "w")
        try Data("{garbled".utf8).write(to: URL(fileURLWithPath: root + "/workflows/w.json"))
        #expect(throws: StoreError.self) { try store.workflowRecord(id: "w") }
        #expect(try store.workflowRecord(id: "never-ran") == nil)
        #expect(throws: ArtifactStore.CollectError.self) { try store.collectGarbage() }
        #expect(store.manifest(for: key) != nil)
    }
}

extension Result {
    /// The error's description, or nil on success.
    var failureDescription: String? {
        if case .failure(let error) = self { return "\(error)" }
        return nil
    }
}
