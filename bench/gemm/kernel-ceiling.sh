#!/usr/bin/env bash
# The ceiling of a register tile on this core (bench/gemm/kernel-ceiling.swift): JudgeFlow's AVX2 6×16
# tile and two AVX-512 tiles for 32 registers, each with A and B in L1 and nothing else to do, next to
# the FMA peak; then the streaming rate that bounds packing. Usage: bench/gemm/kernel-ceiling.sh
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
swiftc -Ounchecked -target-cpu haswell kernel-ceiling.swift -o "$out/avx2"
"$out/avx2" peak
echo "AVX2 (haswell, as JudgeFlow is built):"
"$out/avx2" 6x16
if grep -qw avx512f /proc/cpuinfo; then
  swiftc -Ounchecked -target-cpu znver4 kernel-ceiling.swift -o "$out/avx512"
  echo "AVX-512 (znver4; 32 registers, embedded broadcasts):"
  "$out/avx512" 12x16
  "$out/avx512" 8x32
  "$out/avx512" 6x16
fi
"$out/avx2" copy
rm -rf "$out"
