#!/usr/bin/env bash
# The held-out check: a benchmark built apart from JudgeFlow's generator (bench/heldout/make.py: its own
# scenes, seeds, rasteriser and code) scores every judge of a workflow's run, one category per kind of
# error. Run the workflow first.
#   bash bench/heldout/run.sh [WORKFLOW] [STORE]      # default: workflows/self-improve.yaml, ./artifacts
# Prints a Markdown table (kinds x judges) and leaves the benchmark and each judge's JSON in $OUT
# (default: a temporary directory, kept).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKFLOW=${1:-workflows/self-improve.yaml}
STORE=${2:-artifacts}
OUT=${OUT:-$(mktemp -d)}
swift build -c release --product judgeflow >/dev/null
JF=$PWD/.build/release/judgeflow
python3 bench/heldout/make.py "$OUT/bench" >&2
$JF bench lint "$OUT/bench" >&2
judges=(base)
for i in 1 2 3 4 5 6 7 8; do
  $JF show "judge@$i" --workflow "$WORKFLOW" --store "$STORE" >/dev/null 2>&1 && judges+=("judge@$i")
done
$JF show oracle --workflow "$WORKFLOW" --store "$STORE" >/dev/null 2>&1 && judges+=(oracle)
for j in "${judges[@]}"; do
  $JF export "$j" "$OUT/models/$j" --workflow "$WORKFLOW" --store "$STORE" >/dev/null
  $JF eval --judge "$OUT/models/$j/model" --bench "$OUT/bench" --json > "$OUT/$j.json"
done
python3 - "$OUT" "${judges[@]}" <<'PY'
import json, sys
out, judges = sys.argv[1], sys.argv[2:]
scores = {j: json.load(open(f"{out}/{j}.json")) for j in judges}
kinds = sorted(scores[judges[0]]["categories"])
print("| kind | " + " | ".join(judges) + " |")
print("|---|" + "---|" * len(judges))
for k in kinds:
    print(f"| {k} | " + " | ".join(f"{scores[j]['categories'][k]:.2f}" for j in judges) + " |")
print("| **macro** | " + " | ".join(f"**{scores[j]['macro']:.3f}**" for j in judges) + " |")
PY
echo "benchmark and scores in $OUT" >&2
