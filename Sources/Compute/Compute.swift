/// Compute: Float32 tensors, a hand-tuned SIMD GEMM and the forward/backward kernels a small
/// transformer needs. It depends on nothing else in JudgeFlow.
public enum Compute {}
