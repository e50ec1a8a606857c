@testable import ArtifactStore
import JSONText
import Foundation
import Testing

/// The store's own records are read without `JSONDecoder` on the hot path; what that reader returns must
/// be what `JSONDecoder` returns, and anything it does not take falls back to it.
@Suite struct RecordReadingTests {
    static let awkward = ["", "plain", "quote \" and backslash \\", "slash / and tab \t and newline \n", "ünïcödé ✓ 🎯",
                          "control \u{01}\u{1F}", "{\"cmd\":\"echo \\\"hi\\\"\"}", "\u{2028}\u{2029}"]

    func randomManifest(_ rng: inout SystemRandomNumberGenerator) -> Manifest {
        func text() -> String { Self.awkward.randomElement(using: &rng)! + String(Int.random(in: 0...999, using: &rng)) }
        func digest() -> Digest { Digest.of(text()) }
        var outputs: [String: OutputRef] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            outputs[text()] = OutputRef(digest: digest(), size: Int.random(in: 0...Int.max, using: &rng), isTree: Bool.random(using: &rng))
        }
        var inputs: [String: Digest] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) { inputs[text()] = digest() }
        var run = RunRecord(started: Double.random(in: 0...2e9, using: &rng), seconds: Double.random(in: 0...1e5, using: &rng),
                            exitStatus: Int32.random(in: Int32.min...Int32.max, using: &rng),
                            log: Bool.random(using: &rng) ? digest() : nil, params: text(), inputs: inputs,
                            threads: Int.random(in: 1...64, using: &rng))
        if Bool.random(using: &rng) {
            run.executor = "slurm"
            run.job = String(Int.random(in: 1...99999, using: &rng))
            run.host = text()
        }
        return Manifest(key: digest(), node: text(), type: text(), implementation: text(), outputs: outputs, run: run)
    }

    @Test func theFastReaderReadsEveryEncodedManifestAsJSONDecoderDoes() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let manifest = randomManifest(&rng)
            let bytes = Records.encode(manifest)
            let fast = try #require(JSONValue.parse(bytes).flatMap(Manifest.init(json:)), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(fast == manifest)
            #expect(try JSONDecoder().decode(Manifest.self, from: Data(bytes)) == fast)
        }
    }

    @Test func whatTheFastReaderRefusesIsReadByJSONDecoderOrNotAtAll() throws {
        var rng = SystemRandomNumberGenerator()
        let bytes = Records.encode(randomManifest(&rng))
        // Spaces, reordered and unknown keys: still the same manifest.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        object["extra"] = ["nested": [1, 2.5, true, NSNull()]]
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        #expect(Manifest.read(Array(pretty)) == Manifest.read(bytes))
        // Truncated, or a field of the wrong type: nil from both readers.
        for cut in [1, 10, bytes.count / 2, bytes.count - 1] {
            #expect(Manifest.read(Array(bytes.prefix(cut))) == nil)
        }
        object["run"] = "not a run"
        #expect(Manifest.read(Array(try JSONSerialization.data(withJSONObject: object))) == nil)
    }

    @Test func aWorkflowRecordStartsWithTheDigestOfItsKeysAndANoOpRunDoesNotRewriteIt() throws {
        let store = try ArtifactStore(root: temporaryDirectory())
        let nodes = ["a": NodeRecord(key: Digest.of("a"), type: "shell", implementation: "2", params: ["digest": "\"x\""], inputs: [:])]
        try store.updateWorkflowRecord(workflow: "w.yaml", nodes: nodes, id: "w")
        let path = store.root + "/workflows/w.json"
        let first = try #require(FileManager.default.contents(atPath: path))
        #expect(WorkflowRecord.storedDigest(in: Array(first)) == WorkflowRecord.digest(workflow: "w.yaml", keys: nodes.mapValues(\.key)).hex)
        usleep(20_000)
        try store.updateWorkflowRecord(workflow: "w.yaml", nodes: nodes, id: "w")
        #expect(FileManager.default.contents(atPath: path) == first, "same nodes: the record is left as it was")
        var changed = nodes
        changed["a"]?.key = Digest.of("b")
        try store.updateWorkflowRecord(workflow: "w.yaml", nodes: changed, id: "w")
        #expect(try store.workflowRecord(id: "w")?.nodes == changed)
    }

    @Test func theFastReaderReadsWorkflowRecordsAsJSONDecoderDoes() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var nodes: [String: NodeRecord] = [:]
            for n in 0..<Int.random(in: 0...5, using: &rng) {
                let text = Self.awkward.randomElement(using: &rng)!
                nodes[text + "\(n)"] = NodeRecord(key: Digest.of(text + "\(n)"), type: text, implementation: "\(n)",
                                                  params: [text: "{\"a\":\"\(text)\"}"], inputs: ["file:" + text: Digest.of(text)])
            }
            var record = WorkflowRecord(workflow: Self.awkward.randomElement(using: &rng)!, updated: Double.random(in: 0...2e9, using: &rng), nodes: nodes)
            if Bool.random(using: &rng) { record.digest = WorkflowRecord.digest(workflow: record.workflow, keys: nodes.mapValues(\.key)).hex }
            let bytes = Records.encode(record)
            #expect(JSONValue.parse(bytes).flatMap(WorkflowRecord.init(json:)) == record)
            #expect(try JSONDecoder().decode(WorkflowRecord.self, from: Data(bytes)) == record)
        }
    }
}
