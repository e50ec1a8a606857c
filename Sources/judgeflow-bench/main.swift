// judgeflow-bench: benchmark commands for the compute module and the embedded model
// (see docs/PERFORMANCE.md and bench/).
import Foundation

let usage = """
usage: judgeflow-bench gemm --m M --n N --k K [--trans NN|NT|TN|TT] [--threads T] [--json]
       judgeflow-bench model [--threads 2] [--d 128] [--layers 4] [--heads 4] [--vocab 512] [--text 128]
                             [--image 32] [--batch 32] [--steps 20] [--json]
       judgeflow-bench elementwise [--json]  (e^x and GELU, 8 lanes vs WideMath's 16)
       judgeflow-bench crosscheck-dump DIR   (model + inputs + logits for bench/model/crosscheck.py)
       judgeflow-bench chat-server --port P  (a loopback chat server that answers at once)
       judgeflow-bench requests --url URL [--requests 20000] [--in-flight 64] [--cache DIR] [--json]
       judgeflow-bench serve-load --url URL --model NAME --image PNG --question Q [--clients 16] [--requests 512] [--max-tokens 16]
       judgeflow-bench generate --checkpoint FILE --image PNG --question Q [--requests 512] [--max-tokens 16] [--threads 2]
"""

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}
do {
    switch command {
    case "gemm": try GEMMBench.run(Array(arguments.dropFirst()))
    case "model": try ModelBench.run(Array(arguments.dropFirst()))
    case "elementwise": try ElementwiseBench.run(Array(arguments.dropFirst()))
    case "crosscheck-dump": try CrossCheckDump.run(Array(arguments.dropFirst()))
    case "chat-server": try RequestsBench.serve(Array(arguments.dropFirst()))
    case "requests": try RequestsBench.run(Array(arguments.dropFirst()))
    case "serve-load": try ServeBench.load(Array(arguments.dropFirst()))
    case "generate": try ServeBench.generate(Array(arguments.dropFirst()))
    case "-h", "--help": print(usage)
    default: throw BenchError.usage("unknown benchmark '\(command)'")
    }
} catch let error as BenchError {
    FileHandle.standardError.write(Data("judgeflow-bench: \(error)\n\(usage)\n".utf8))
    exit(2)
}
