import JudgeFlowCLI
import NodeKit
import WorkflowPlan
import WorkflowSpec

/// The workflow fuzzer's entry, called by libFuzzer with each input: the loader (reading only the
/// input's in-memory files, never the disk) and the graph builder with `judgeflow`'s real node registry,
/// exactly the checks `judgeflow run`, `status` and `dag` make before anything runs. Nothing here opens
/// the store. A thrown `SpecError` is the right answer to most inputs; a crash, a timeout or an
/// allocation past libFuzzer's limits is a finding (bench/fuzz/run.sh).
/// The built-in registry; nil only if two built-in node types shared a name (then every input says so).
let registry = try? BuiltinNodes.registry()

@_cdecl("LLVMFuzzerTestOneInput")
public func workflowFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let files = input.files
    let loader = WorkflowLoader(readFile: { path in
        // As String(contentsOfFile:encoding: .utf8), invalid UTF-8 cannot be read.
        guard let bytes = files[path], let text = String(validating: bytes, as: UTF8.self) else { throw NoSuchFile(path: path) }
        return text
    })
    do {
        let workflow = try loader.load(FuzzInput.mainFile, overrides: input.overrides)
        guard let registry else { fatalError("the built-in node registry has a duplicate name") }
        _ = try GraphBuilder.build(workflow, registry: registry)
    } catch {
        // A SpecError: the input was rejected with diagnostics, as it should be.
    }
    return 0
}
