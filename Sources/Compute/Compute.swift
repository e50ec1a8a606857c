/// Compute: Float32 tensors, a hand-tuned SIMD GEMM, and the forward/backward kernels a small
/// transformer needs (embedding, layer norm, GELU, softmax, attention, cross-entropy, AdamW). It depends
/// on nothing else in JudgeFlow. Every kernel is deterministic: results are bitwise identical for any
/// thread count, because each output element is reduced by one thread in a fixed order.
