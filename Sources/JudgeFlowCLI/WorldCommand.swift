import Foundation
import JudgeStages
import SyntheticWorld

/// `judgeflow world scene|render|vocab`: look at the embedded world directly.
enum WorldCommand {
    static func run(_ argv: [String]) throws(CLIError) -> Int32 {
        let args = try Arguments(argv, valued: ["--seed", "--index", "--output", "--set"], booleans: [], aliases: ["-o": "--output"])
        guard let sub = args.positionals.first else { throw .usage("world needs a subcommand: scene, render or vocab") }
        switch sub {
        case "vocab":
            print(WorldVocabulary.words.joined(separator: "\n"))
        case "scene":
            guard let seed = args.value("--seed").flatMap(UInt64.init) else { throw .usage("world scene needs --seed N") }
            let index = args.value("--index").flatMap(Int.init) ?? 0
            let config: WorldConfig
            do { config = try WorldParams.config(settings: args.all("--set")) } catch { throw .usage("world scene: \(error)") }
            let json = try encode(SceneGenerator.scene(seed: seed, index: index, config: config))
            if let out = args.value("--output") { try write(Array(json.utf8), to: out) } else { print(json) }
        case "render":
            guard args.positionals.count == 2 else { throw .usage("usage: judgeflow world render SCENE.json -o IMAGE.png") }
            guard let out = args.value("--output") else { throw .usage("world render needs -o IMAGE.png") }
            let path = args.positionals[1]
            guard let data = FileManager.default.contents(atPath: path) else { throw .failed("cannot read \(path)") }
            let scene: Scene
            do { scene = try JSONDecoder().decode(Scene.self, from: data) } catch {
                throw .usage("\(path): not a scene (\(describe(error))); see docs/world.md for the format")
            }
            if let problem = SceneValidation.problem(in: scene) { throw .usage("\(path): \(problem)") }
            try write(PNG.encode(Renderer.render(scene)), to: out)
        default:
            throw .usage("unknown world subcommand '\(sub)'; use scene, render or vocab")
        }
        return 0
    }

    static func encode(_ scene: Scene) throws(CLIError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { return String(decoding: try encoder.encode(scene), as: UTF8.self) } catch { throw .failed("\(error)") }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .failed("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            c.codingPath.map(\.stringValue).joined(separator: ".") + ": " + c.debugDescription
        default: "\(error)"
        }
    }
}
