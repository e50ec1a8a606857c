import Foundation
import SyntheticWorld

/// Kept traces as a training set for an external trainer (`judge.train` with `trainer: command`). Every
/// kept pair gives two examples, one per order: the judge prompt with the preferred response as A
/// answered by the trace and `Verdict: A`, and with it as B answered by the swapped order's trace and
/// `Verdict: B` (balanced by construction). The directory holds the same examples in two layouts:
/// - `train.jsonl`: one `{"messages": [...], "images": ["images/…png"]}` per line, each message's
///   `content` a list of `{"type": "image"}` / `{"type": "text", "text": …}` parts — the conversational
///   vision layout TRL's `SFTTrainer` reads (load with `datasets.load_dataset("json", …)` and open the
///   image paths relative to the directory);
/// - `llamafactory.json` + `dataset_info.json`: LLaMA-Factory's multimodal "sharegpt" layout (string
///   content with an `<image>` tag, an `images` list), registered as dataset `judgeflow_kept`;
/// - `images/`: each scene's PNG once;
/// - `kept/0/`, `kept/1/`, …: the `data` inputs as `judge.filter` wrote them (`kept.jsonl`, `world.json`),
///   unmixed, for trainers that read JudgeFlow's own records (`judgeflow train`).
public enum JudgeDataset {
    public struct Example: Equatable, Sendable {
        public var image: String
        public var prompt: String
        public var answer: String
    }

    public static func examples(_ kept: [KeptTrace], imagePrefix: String, prompt: String) -> [Example] {
        kept.flatMap { k -> [Example] in
            let image = "images/\(imagePrefix)-\(k.scene).png"
            func filled(_ a: String, _ b: String) -> String { JudgePrompt.fill(prompt, question: k.question, a: a, b: b) }
            return [Example(image: image, prompt: filled(k.preferred, k.rejected), answer: k.trace + "\nVerdict: A"),
                    Example(image: image, prompt: filled(k.rejected, k.preferred), answer: (k.swappedTrace ?? k.trace) + "\nVerdict: B")]
        }
    }

    /// Writes `examples` and the PNG of every scene they show; returns the number of examples.
    public static func write(_ examples: [Example], images: [String: [UInt8]], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/images", withIntermediateDirectories: true)
        for (name, bytes) in images.sorted(by: { $0.key < $1.key }) {
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = Data()
        for example in examples {
            let record = TRLRecord(messages: [
                .init(role: "user", content: [.init(type: "image", text: nil), .init(type: "text", text: example.prompt)]),
                .init(role: "assistant", content: [.init(type: "text", text: example.answer)]),
            ], images: [example.image])
            lines.append(try encoder.encode(record))
            lines.append(0x0A)
        }
        try lines.write(to: URL(fileURLWithPath: directory + "/train.jsonl"))
        let factory = examples.map { e in
            FactoryRecord(messages: [.init(role: "user", content: "<image>" + e.prompt), .init(role: "assistant", content: e.answer)],
                          images: [e.image])
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        try encoder.encode(factory).write(to: URL(fileURLWithPath: directory + "/llamafactory.json"))
        let info = ["judgeflow_kept": FactoryInfo()]
        try encoder.encode(info).write(to: URL(fileURLWithPath: directory + "/dataset_info.json"))
    }

    struct TRLRecord: Encodable {
        struct Message: Encodable {
            struct Part: Encodable { var type: String; var text: String? }
            var role: String
            var content: [Part]
        }
        var messages: [Message]
        var images: [String]
    }

    struct FactoryRecord: Encodable {
        struct Message: Encodable { var role: String; var content: String }
        var messages: [Message]
        var images: [String]
    }

    struct FactoryInfo: Encodable {
        var file_name = "llamafactory.json"
        var formatting = "sharegpt"
        var columns = ["messages": "messages", "images": "images"]
        var tags = ["role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"]
    }
}
