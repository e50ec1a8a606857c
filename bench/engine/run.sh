#!/usr/bin/env bash
# Times JudgeFlow, DVC and Snakemake side by side on the peer harness's layered DAGs (10, 100, 1000 stages):
# cold run, no-op rerun, status, and the rerun after editing one mid-DAG param (re-executed stages counted).
# DVC and Snakemake are installed into a throwaway virtualenv. Usage: bench/engine/run.sh [WORKDIR] [--stages ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-$(mktemp -d)}
shift || true
venv=${PEERS_VENV:-$work/venv}
if [ ! -x "$venv/bin/dvc" ] || [ ! -x "$venv/bin/snakemake" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q dvc snakemake
fi
swift build -c release --product judgeflow >/dev/null
PATH="$venv/bin:$PATH" python3 ../shared/bench/peers/run.py "$work/runs" --stages ${@:-10 100 1000} \
  --engine judgeflow=bench/engine/judgeflow.json
