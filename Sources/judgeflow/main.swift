// judgeflow: the command-line entry point; everything lives in JudgeFlowCLI.
import Foundation
import JudgeFlowCLI

do {
    exit(CLI.main(Array(CommandLine.arguments.dropFirst()), registry: try BuiltinNodes.registry()))
} catch {
    FileHandle.standardError.write(Data("judgeflow: \(error)\n".utf8))
    exit(1)
}
