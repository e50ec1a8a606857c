#!/usr/bin/env bash
# Times JudgeFlow, DVC and Snakemake side by side on the peer harness's layered DAGs (10, 100, 1000 stages):
# cold run, no-op rerun, status, and the rerun after editing one mid-DAG param (re-executed stages counted).
# DVC and Snakemake are installed into a throwaway virtualenv (or PEERS_VENV).
# Usage: bench/engine/run.sh [WORKDIR] [run.py args...]; the default args are `--stages 10 100 1000`.
# At 1000 stages DVC's cold run takes over an hour here; to measure its no-op rerun and status, run
#   bench/engine/run.sh WORKDIR --stages 1000 --engines snakemake --engine dvc-precommitted=bench/engine/dvc-precommitted.json
# which brings the DVC project to its done state with dvc_precommit.py (untimed) first.
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
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--stages 10 100 1000)
PATH="$venv/bin:$PATH" python3 ../shared/bench/peers/run.py "$work/runs" "${args[@]}" \
  --engine judgeflow=bench/engine/judgeflow.json
