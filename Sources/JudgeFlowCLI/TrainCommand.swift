import Foundation
import JudgeStages
import NodeKit

/// `judgeflow train --data DIR --output DIR [--init CHECKPOINT] [--set param=value]...`: JudgeFlow's own
/// judge trainer as an external command — what `judge.train` does in-process, on the dataset a
/// `trainer: command` stage writes (its `kept/` sets) — so `trainer: command` with
/// `judgeflow train --data {data} --init {init} --output {output}` trains the model the embedded trainer
/// trains with the same params. Writes `OUTPUT/model.safetensors`.
enum TrainCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--data", "--output", "--init", "--threads", "--set"], booleans: [])
        guard let data = args.value("--data"), let output = args.value("--output") else {
            throw .usage("usage: judgeflow train --data DIR --output DIR [--init CHECKPOINT] [--set steps=300]...")
        }
        let type = JudgeTrainNode()
        var params: [String: Value] = [:]
        for spec in type.params { params[spec.name] = spec.defaultValue }
        for assignment in args.all("--set") {
            guard let eq = assignment.firstIndex(of: "="), let spec = type.params.first(where: { $0.name == assignment[..<eq] }) else {
                throw .usage("--set \(assignment): judge.train has params " + type.params.map(\.name).joined(separator: ", "))
            }
            let text = String(assignment[assignment.index(after: eq)...])
            let value: Value = switch spec.kind {
            case .int: Int(text).map(Value.int) ?? .string(text)
            case .double: Double(text).map(Value.double) ?? .string(text)
            case .bool: text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
            default: .string(text)
            }
            if let why = spec.problem(with: value) { throw .usage("--set \(spec.name): \(why)") }
            params[spec.name] = value
        }
        params["trainer"] = .string("embedded")
        let sets = ((try? FileManager.default.contentsOfDirectory(atPath: data + "/kept")) ?? []).compactMap(Int.init).sorted()
        guard !sets.isEmpty else { throw .usage("\(data) has no kept/0, kept/1, … (a judge.train trainer: command dataset)") }
        var inputs: [String: [InputArtifact]] = ["data": sets.map { InputArtifact(path: data + "/kept/\($0)", digest: "", isDirectory: true) }]
        if let given = args.value("--init"), !given.isEmpty {
            let initPath = try CheckpointFile.resolve(given, label: "--init \(given)")
            inputs["init"] = [InputArtifact(path: initPath, digest: "", isDirectory: false)]
        } else {
            throw .usage("judgeflow train fine-tunes a judge: give --init CHECKPOINT")
        }
        let work = NSTemporaryDirectory() + "judgeflow-train-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        do {
            for sub in ["out", "scratch"] { try FileManager.default.createDirectory(atPath: work + "/" + sub, withIntermediateDirectories: true) }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let threads = Int(args.value("--threads") ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
            try type.run(NodeContext(nodeName: "train", params: params, inputs: inputs, outputDirectory: work + "/out",
                                     workspace: FileManager.default.currentDirectoryPath, scratchDirectory: work + "/scratch",
                                     threads: max(1, threads), log: { print($0) }, progress: { _, _ in }))
            let target = output + "/model.safetensors"
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.moveItem(atPath: work + "/out/model", toPath: target)
        } catch {
            throw .failed("train: \(error)")
        }
        return 0
    }
}
