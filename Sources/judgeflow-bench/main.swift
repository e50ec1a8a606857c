// judgeflow-bench: benchmark commands for the compute module (see docs/PERFORMANCE.md).
print("usage: judgeflow-bench gemm|model ...")
