import Compute
import Foundation
import JudgeEval
import NodeKit
import SyntheticWorld
import TinyVLM
#if canImport(Glibc)
import Glibc
#endif

/// `uses: judge.train` — fine-tunes the previous judge on kept traces (loss on trace and verdict), each
/// kept pair in both orders; `data` lists this iteration's kept set first, then earlier ones, mixed in at
/// the `mix_previous` share. With `replay` above 0, a share of the set is the base model's own instruction
/// data (`InstructionData`: ground-truth answers to questions about the world's training scenes, no
/// preference and no judgement; the `replay_` params of `QuestionMix` make it as the base model's `mix`,
/// `absent_combinations`, `closed_weight`, `shuffled_captions` and `position_parts` did), so the answers the judge
/// checks responses against do not drift while it learns its traces. With `trainer: command` your own trainer does the fine-tuning: the mixed set
/// is written as a dataset (`JudgeDataset`: TRL's and LLaMA-Factory's layouts, images beside it) and
/// `command` runs under bash in the workflow's directory with `{data}`, `{init}` (the init input's path, or
/// empty) and `{output}` replaced by shell-quoted absolute paths (also in `JF_DATA`, `JF_INIT`, `JF_OUTPUT`);
/// what it writes into `{output}` becomes the `model` output, a directory.
public struct JudgeTrainNode: NodeType {
    public init() {}
    public let name = "judge.train"
    public let implementationVersion = "7" + modelNumerics
    public let summary = "fine-tune the judge on its kept traces"
    public var params: [ParamSpec] {
        [ParamSpec("steps", .int, default: .int(300), range: ParamRanges.steps, doc: "optimisation steps"),
         ParamSpec("batch", .int, default: .int(32), range: ParamRanges.batch, doc: "examples per step"),
         ParamSpec("lr", .double, default: .double(1e-3), range: ParamRanges.learningRate, doc: "peak learning rate"),
         ParamSpec("warmup", .int, default: .int(20), range: ParamRanges.steps, doc: "warm-up steps"),
         ParamSpec("verdict_weight", .double, default: .double(1), range: 0...1000,
                   doc: "loss weight of the verdict token relative to a trace token"),
         ParamSpec("mix_previous", .double, default: .double(0.3), range: 0...1, doc: "share of earlier iterations' kept data"),
         ParamSpec("replay", .double, default: .double(0), range: 0...0.9, onlyWith: Self.embedded,
                   doc: "share of the training set that is the base model's instruction data (0: none)"),
        ] + QuestionMix.specs(prefix: "replay_", onlyWith: Self.embedded) + [
         ParamSpec("seed", .int, default: .int(1), range: ParamRanges.seed, doc: "batch order and mixing seed"),
         CellChecks.Layout.param(onlyWith: Self.embedded),
         ParamSpec("trainer", .oneOf(["embedded", "command"]), default: .string("embedded"), onlyWith: Self.command,
                   doc: "embedded (the built-in trainer) or command (your trainer, run as `command`)"),
         ParamSpec("command", .string, default: .string(""), onlyWith: Self.command,
                   doc: "with trainer: command — the shell command, with {data}, {init} and {output}"),
         ParamSpec("judge_prompt", .string, default: .string(RemoteJudge.defaultPrompt), onlyWith: Self.command,
                   doc: "with trainer: command — the prompt of the dataset's examples (the served judge's, so it learns what it is asked)")]
    }
    static let command = [(param: "trainer", value: "command")]
    static let embedded = [(param: "trainer", value: "embedded")]
    public func requiredInputs(params: [String: Value]) -> [String] {
        params["trainer"] == .string("command") ? ["data"] : ["init", "data"]
    }
    public func problems(params: [String: Value]) -> [ParamProblem] {
        guard params["trainer"] == .string("command") else { return QuestionMix.problems(params, prefix: "replay_") }
        let command = params["command"]?.stringValue ?? ""
        if command.isEmpty { return [ParamProblem(param: "command", "trainer: command needs the command to run, with {data} and {output}")] }
        return command.contains("{output}") ? [] : [ParamProblem(param: "command", "the command never names {output}, where the trained model must go")]
    }
    public let inputs = [InputSpec("init", doc: "the judge to fine-tune (with trainer: command, optional: {init})"),
                         InputSpec("data", multiple: true, doc: "kept traces: this iteration's first, then earlier ones")]
    public func outputs(params: [String: Value]) -> [String] { ["model"] }

    public func run(_ context: NodeContext) throws {
        let p = context.params
        if (try p.string("trainer")) == "command" { return try runCommand(context) }
        let model = try Checkpoint.load(try context.input("init").path, threads: context.threads)
        let tok = model.tokenizer
        let verdictWeight = Float(try p.double("verdict_weight"))
        let checks = try CellChecks.Layout.read(p)
        var sets: [[Example]] = [], currentWorld: WorldRef?
        for artifact in context.inputs["data"] ?? [] {
            let (kept, world) = try RecordDirectory.read(KeptTrace.self, from: artifact.path, file: "kept.jsonl")
            currentWorld = currentWorld ?? world
            sets.append(kept.flatMap { k in
                Judge.examples(patches: world.patches(k.scene, patch: model.config.patch), question: k.question, trace: k.trace,
                               preferred: k.preferred, rejected: k.rejected, verdictWeight: verdictWeight, checks: checks, tokenizer: tok)
            })
        }
        var rng = WorldRandom(seed: try p.seed("seed"))
        var examples = DataMixing.mix(current: sets.first ?? [], earlier: Array(sets.dropFirst()),
                                      share: try p.double("mix_previous"), rng: &rng)
        context.log("\(examples.count) training examples (\(sets.first?.count ?? 0) from this iteration)")
        let replays = DataMixing.added(to: examples.count, share: try p.double("replay"))
        if replays > 0, let world = currentWorld {
            let replayed = InstructionData.replay(replays, world: world, tokenizer: tok, patch: model.config.patch,
                                                  mix: try QuestionMix(p, prefix: "replay_"))
            context.log("\(replayed.count) instruction examples replayed")
            examples += replayed
        }
        if examples.isEmpty {
            // Nothing was kept: the judge stays as it was, and the log says so (visible in `show` and reports).
            context.log("warning: no kept traces; the judge is unchanged this iteration")
            try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
            return
        }
        let steps = try p.int("steps")
        let trainer = Trainer(model: model, schedule: .init(learningRate: Float(try p.double("lr")),
                                                            warmup: try p.int("warmup"), steps: steps))
        try TrainingLoop(steps: steps, batchSize: try p.int("batch"), seed: try p.seed("seed") &+ 99)
            .run(trainer, examples: examples, context: context, label: "judge")
        try Data(Checkpoint.encode(model)).write(to: URL(fileURLWithPath: context.outputPath("model")))
    }

    /// Writes the dataset, runs the user's trainer, and checks it left a model in `{output}`.
    func runCommand(_ context: NodeContext) throws {
        let p = context.params
        var sets: [[JudgeDataset.Example]] = [], images: [String: [UInt8]] = [:]
        for (i, artifact) in (context.inputs["data"] ?? []).enumerated() {
            let (kept, world) = try RecordDirectory.read(KeptTrace.self, from: artifact.path, file: "kept.jsonl")
            for k in kept where images["images/set\(i)-\(k.scene).png"] == nil { images["images/set\(i)-\(k.scene).png"] = world.png(k.scene) }
            sets.append(JudgeDataset.examples(kept, imagePrefix: "set\(i)", prompt: try p.string("judge_prompt")))
        }
        var rng = WorldRandom(seed: try p.seed("seed"))
        let examples = DataMixing.mix(current: sets.first ?? [], earlier: Array(sets.dropFirst()), share: try p.double("mix_previous"), rng: &rng)
        let used = Set(examples.map(\.image))
        let data = try context.makeScratchDirectory() + "/dataset", output = context.outputPath("model")
        try JudgeDataset.write(examples, images: images.filter { used.contains($0.key) }, to: data)
        // The kept sets as judge.filter wrote them, for trainers that read JudgeFlow's own records (`judgeflow train`).
        for (i, artifact) in (context.inputs["data"] ?? []).enumerated() {
            try FileManager.default.createDirectory(atPath: data + "/kept/\(i)", withIntermediateDirectories: true)
            for file in ["kept.jsonl", "world.json"] {
                try FileManager.default.copyItem(atPath: artifact.path + "/" + file, toPath: data + "/kept/\(i)/" + file)
            }
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        context.log("\(examples.count) training examples (\(sets.first?.count ?? 0) from this iteration) in \(data)")
        let initPath = context.inputs["init"]?.first?.path ?? ""
        let command = try p.string("command").replacingOccurrences(of: "{data}", with: Subprocess.quoted(data))
            .replacingOccurrences(of: "{init}", with: initPath.isEmpty ? "" : Subprocess.quoted(initPath))
            .replacingOccurrences(of: "{output}", with: Subprocess.quoted(output))
        var environment = ProcessInfo.processInfo.environment
        environment["JF_DATA"] = data
        environment["JF_INIT"] = initPath
        environment["JF_OUTPUT"] = output
        let logPath = context.scratchDirectory + "/trainer.log"
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw NodeError.invalid("cannot create \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        let termination = try Subprocess.run("/bin/bash", arguments: ["-c", command], environment: environment,
                                             directory: context.workspace, stdin: null, stdout: log, stderr: log)
        if let text = try? String(contentsOfFile: logPath, encoding: .utf8), !text.isEmpty { context.log(String(text.suffix(8192))) }
        switch termination {
        case .exited(0): break
        case .exited(let status): throw NodeError.invalid("the trainer command exited with status \(status) (its log is above)")
        case .signalled(let signal): throw NodeError.invalid("the trainer command was killed by signal \(signal)")
        }
        guard !((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []).isEmpty else {
            throw NodeError.invalid("the trainer command wrote nothing into {output} (\(output)); the model must go there")
        }
    }
}
