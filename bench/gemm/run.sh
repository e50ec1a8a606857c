#!/usr/bin/env bash
# JudgeFlow's SGEMM vs OpenBLAS (through numpy) side by side, one shape at a time, interleaved.
# numpy and threadpoolctl go into a throwaway virtualenv; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
# unset for the reference command only. Usage: bench/gemm/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${BLAS_VENV:-$(mktemp -d)/venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import numpy, threadpoolctl" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy threadpoolctl
fi
swift build -c release --product judgeflow-bench >/dev/null
jf=.build/release/judgeflow-bench
ref=../shared/bench/blas-ref/sgemm.py
shapes="256,256,256,NN 512,512,512,NN 1024,1024,1024,NN 2048,2048,2048,NN 4096,256,256,NN 256,1024,256,NN 256,256,4096,TN 4096,256,256,NT"
[ "${1:-}" = "--quick" ] && shapes="256,256,256,NN 1024,1024,1024,NN 4096,256,256,NN 256,1024,256,NN 256,256,4096,TN"
# The core's FMA peak, measured before and after the table (the higher counts): the clock differs
# between machines and days (~100 GFLOP/s at 3.1 GHz on 2026-11-24).
peak() { "$jf" gemm --peak --json | python3 -c "import json,sys; print(json.load(sys.stdin)['peak_gflops'])"; }
peak1=$(peak)
echo "| shape (M×N×K) | trans | threads | JudgeFlow GFLOP/s | OpenBLAS GFLOP/s | ratio | JudgeFlow % of peak |"
echo "|---|---|---|---|---|---|---|"
kernel=""; rows=""
for threads in 1 2; do
  for s in $shapes; do
    IFS=, read -r m n k t <<< "$s"
    echo "measuring $m×$n×$k $t on $threads thread(s)" >&2
    best_jf=0; best_ref=0
    for rep in 1 2; do   # interleave the two engines, keep each one's best
      g=$("$jf" gemm --m "$m" --n "$n" --k "$k" --trans "$t" --threads "$threads" --json | tail -1 | python3 -c "import json,sys; print(json.load(sys.stdin)['gflops'])")
      line=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" "$ref" --m "$m" --n "$n" --k "$k" --trans "$t" --threads "$threads" --json)
      r=$(echo "$line" | python3 -c "import json,sys; print(json.load(sys.stdin)['gflops'])")
      kernel=$(echo "$line" | python3 -c "import json,sys; print(json.load(sys.stdin)['kernel'])")
      best_jf=$(python3 -c "print(max($best_jf, $g))"); best_ref=$(python3 -c "print(max($best_ref, $r))")
    done
    rows+="$m $n $k $t $threads $best_jf $best_ref"$'\n'
  done
done
peak1=$(python3 -c "print(max($peak1, $(peak)))")
while read -r m n k t threads jf ref; do
  [ -n "$m" ] && python3 -c "print(f'| $m×$n×$k | $t | $threads | {$jf:.1f} | {$ref:.1f} | {$jf/$ref:.2f} | {100*$jf/($peak1*$threads):.0f}% |')"
done <<< "$rows"
echo
echo "OpenBLAS kernel: $kernel; single-core FMA peak measured ${peak1} GFLOP/s (judgeflow-bench gemm --peak), two cores counted as twice that."
echo "Finished $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)."
