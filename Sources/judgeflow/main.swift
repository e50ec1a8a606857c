// judgeflow: the command-line entry point; everything lives in JudgeFlowCLI.
import Foundation
import JudgeFlowCLI

exit(CLI.main(Array(CommandLine.arguments.dropFirst()), registry: BuiltinNodes.registry))
