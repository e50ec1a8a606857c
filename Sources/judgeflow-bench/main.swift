// judgeflow-bench: benchmark commands for the compute module and the embedded model
// (see docs/PERFORMANCE.md and bench/).
import Foundation

let usage = """
usage: judgeflow-bench gemm --m M --n N --k K [--trans NN|NT|TN|TT] [--threads T] [--json]
"""

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}
do {
    switch command {
    case "gemm": try GEMMBench.run(Array(arguments.dropFirst()))
    case "-h", "--help": print(usage)
    default: throw BenchError.usage("unknown benchmark '\(command)'")
    }
} catch let error as BenchError {
    FileHandle.standardError.write(Data("judgeflow-bench: \(error)\n\(usage)\n".utf8))
    exit(2)
}
