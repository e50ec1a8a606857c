// swift-tools-version:6.0
// JudgeFlow: a declarative workflow engine for self-improving VLM judges.
// Dependencies point one way: CLI → engine → plan → spec; engine → store and NodeKit;
// Compute depends only on its own helpers (CPrefetch, VectorMath, WideMath). See docs/architecture in README.md.
import PackageDescription

/// Release-only flags for the hot numeric code: no bounds/exclusivity checks, and an instruction set
/// with FMA so `SIMD8<Float>.addingProduct` becomes `vfmadd231ps` (see docs/PERFORMANCE.md).
var computeSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]
/// WideMath alone is built for AVX-512; Compute calls it only where the CPU has it (CPUFeatures).
var wideSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]
#if arch(x86_64)
computeSettings.append(.unsafeFlags(["-target-cpu", "haswell"]))
wideSettings.append(.unsafeFlags(["-target-cpu", "skylake-avx512"]))
#endif

let package = Package(
    name: "JudgeFlow",
    products: [
        .executable(name: "judgeflow", targets: ["judgeflow"]),
        .executable(name: "judgeflow-bench", targets: ["judgeflow-bench"]),
    ],
    targets: [
        // System libraries (Debian -dev packages).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Engine.
        .target(name: "WorkflowSpec", dependencies: ["CYAML", "NodeKit"]),
        .target(name: "NodeKit", dependencies: ["CGlibc"]),
        .target(name: "WorkflowPlan", dependencies: ["WorkflowSpec", "NodeKit", "ArtifactStore"]),
        .target(name: "ArtifactStore", dependencies: ["CCrypto", "CGlibc", "JSONText"]),
        .target(name: "JSONText", dependencies: []),
        .target(name: "CGlibc", dependencies: []),
        .target(name: "WorkflowEngine", dependencies: ["WorkflowPlan", "ArtifactStore", "NodeKit", "CGlibc"]),
        .target(name: "JudgeFlowCLI", dependencies: ["WorkflowSpec", "WorkflowPlan", "WorkflowEngine", "ArtifactStore", "NodeKit",
                                                    "SyntheticWorld", "JudgeEval", "JudgeStages", "TinyVLM", "Compute", "ModelBackend",
                                                    "ModelServer"]),
        .executableTarget(name: "judgeflow", dependencies: ["JudgeFlowCLI"]),

        // Numerics.
        .target(name: "CPrefetch", dependencies: []),
        .target(name: "VectorMath", dependencies: []),
        .target(name: "WideMath", dependencies: ["VectorMath"], swiftSettings: wideSettings),
        .target(name: "Compute", dependencies: ["CPrefetch", "VectorMath", "WideMath"], swiftSettings: computeSettings),
        .executableTarget(name: "judgeflow-bench", dependencies: ["Compute", "TinyVLM", "VectorMath", "WideMath", "ModelBackend", "ChatServerFixture",
                                                                  "JudgeStages", "SyntheticWorld"],
                          swiftSettings: computeSettings),

        // The embedded vision-language model.
        .target(name: "TinyVLM", dependencies: ["Compute"], swiftSettings: computeSettings),

        // The embedded visual world.
        .target(name: "SyntheticWorld", dependencies: ["CZlib", "Compute"]),
        .target(name: "JudgeEval", dependencies: []),

        // The self-improvement loop's node types and their pure logic.
        .target(name: "ModelBackend", dependencies: ["ArtifactStore", "CGlibc", "JSONText"]),
        .target(name: "JudgeStages", dependencies: ["NodeKit", "SyntheticWorld", "JudgeEval", "TinyVLM", "Compute", "ModelBackend"]),
        .target(name: "ModelServer", dependencies: ["JudgeStages", "SyntheticWorld", "TinyVLM", "JSONText", "ModelBackend"]),

        // Tests.
        .target(name: "ChatServerFixture", dependencies: [], path: "Tests/ChatServerFixture"),
        .testTarget(name: "WorkflowSpecTests", dependencies: ["WorkflowSpec", "NodeKit"]),
        .testTarget(name: "WorkflowPlanTests", dependencies: ["WorkflowPlan", "WorkflowSpec", "NodeKit", "ArtifactStore"]),
        .testTarget(name: "ArtifactStoreTests", dependencies: ["ArtifactStore", "JSONText"]),
        .testTarget(name: "JSONTextTests", dependencies: ["JSONText"]),
        .testTarget(name: "WorkflowEngineTests", dependencies: ["WorkflowEngine", "WorkflowPlan", "WorkflowSpec", "ArtifactStore", "NodeKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ChatServerFixture", "ModelBackend"]),
        .testTarget(name: "ComputeTests", dependencies: ["Compute", "WideMath"]),
        .testTarget(name: "SyntheticWorldTests", dependencies: ["SyntheticWorld"]),
        .testTarget(name: "JudgeEvalTests", dependencies: ["JudgeEval"]),
        .testTarget(name: "TinyVLMTests", dependencies: ["TinyVLM", "Compute", "SyntheticWorld"]),
        .testTarget(name: "JudgeStagesTests", dependencies: ["JudgeStages", "SyntheticWorld", "JudgeEval", "NodeKit", "ModelBackend", "TinyVLM",
                                                      "ChatServerFixture"]),
    ]
)

// bench/fuzz/run.sh's libFuzzer target over the workflow loader and graph builder. Declared only when that
// script builds it (JUDGEFLOW_FUZZ=1, with --sanitize=fuzzer), so the normal build and tests never compile it.
if Context.environment["JUDGEFLOW_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "workflow-fuzz", dependencies: ["WorkflowSpec", "WorkflowPlan", "NodeKit", "JudgeFlowCLI"],
                                             path: "bench/fuzz/workflow-fuzz"))
}
