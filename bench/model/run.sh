#!/usr/bin/env bash
# The embedded model vs the PyTorch reference (../shared/bench/torch-ref/train_step.py), same
# configuration and flags, 2 threads each, in one run; then the logit cross-check.
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
jf=$(.build/release/judgeflow-bench model $flags --json | tail -1)
pt=$("$venv/bin/python" ../shared/bench/torch-ref/train_step.py $flags --json | tail -1)
python3 - "$jf" "$pt" <<'PY'
import json, sys
jf, pt = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("| measure | JudgeFlow tok/s | PyTorch tok/s | ratio |")
print("|---|---|---|---|")
for k, name in [("train_tokens_per_s", "train step"), ("forward_tokens_per_s", "forward"), ("generate_tokens_per_s", "KV-cache greedy generation")]:
    print(f"| {name} | {jf[k]} | {pt[k]} | {jf[k] / pt[k]:.2f} |")
print(f"\nparams: JudgeFlow {jf['params']}, PyTorch {pt['params']}")
PY
dir=$(mktemp -d)
.build/release/judgeflow-bench crosscheck-dump "$dir" >/dev/null
"$venv/bin/python" bench/model/crosscheck.py "$dir"
