#!/usr/bin/env bash
# The embedded model vs the PyTorch reference (../shared/bench/torch-ref/train_step.py), same
# configuration and flags, 2 threads each, in one run; then the logit cross-check.
# ROUNDS rounds (default 3), the two engines alternating which goes first, so that a slow minute on this
# shared machine lands on both; each round's ratio is JudgeFlow's figure over PyTorch's from that round,
# and the summary gives the median ratio with its range.
# torch, numpy and safetensors go into a throwaway virtualenv. Usage: bench/model/run.sh [extra flags]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${TORCH_VENV:-$(mktemp -d)/venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, safetensors, numpy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy safetensors
fi
swift build -c release --product judgeflow-bench >/dev/null
flags="--threads 2 --d 128 --layers 4 --heads 4 --vocab 512 --text 128 --image 32 --batch 32 --steps ${STEPS:-20} $*"
rounds=${ROUNDS:-3}
jf_run() { .build/release/judgeflow-bench model $flags --json | tail -1; }
pt_run() { "$venv/bin/python" ../shared/bench/torch-ref/train_step.py $flags --json | tail -1; }
results=()
for ((round = 1; round <= rounds; round++)); do
  echo "round $round of $rounds" >&2
  if ((round % 2)); then jf=$(jf_run); pt=$(pt_run); else pt=$(pt_run); jf=$(jf_run); fi
  results+=("$jf" "$pt")
done
python3 - "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(s) for s in sys.argv[1:]]
pairs = list(zip(runs[0::2], runs[1::2]))
measures = [("train_tokens_per_s", "train step", 1.3), ("forward_tokens_per_s", "forward", 1.5),
            ("generate_tokens_per_s", "KV-cache greedy generation", 4.0)]
print("| measure | JudgeFlow tok/s | PyTorch tok/s | ratio per round | median ratio | target |")
print("|---|---|---|---|---|---|")
for key, name, target in measures:
    ratios = [jf[key] / pt[key] for jf, pt in pairs]
    median = statistics.median(ratios)
    print(f"| {name} | {' / '.join(str(jf[key]) for jf, _ in pairs)} | {' / '.join(str(pt[key]) for _, pt in pairs)} "
          f"| {' / '.join(f'{r:.2f}' for r in ratios)} | {median:.2f} | ≥ {target} "
          f"({'met' if median >= target else 'missed'} by the median; in {sum(r >= target for r in ratios)} of {len(ratios)} rounds) |")
print(f"\nparams: JudgeFlow {runs[0]['params']}, PyTorch {runs[1]['params']}")
PY
echo "Finished $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)."
dir=$(mktemp -d)
.build/release/judgeflow-bench crosscheck-dump "$dir" >/dev/null
"$venv/bin/python" bench/model/crosscheck.py "$dir"
