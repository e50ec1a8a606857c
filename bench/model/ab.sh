#!/usr/bin/env bash
# A/B of the embedded model's benchmark: this checkout as it stands (A) against its HEAD with a patch applied (B),
# the two builds alternating process by process, PAIRS pairs (default 6), on the reference configuration
# of bench/model/run.sh. Prints each pair's figures and B/A, then the median ratio and its range.
# Processes on this host swing ±5–10% between runs, so a ratio inside that band needs more pairs (or an
# in-process comparison) before it means anything.
# Usage: bench/model/ab.sh PATCH [train|forward|generate]   (default: generate)
set -euo pipefail
patch=$(realpath "$1"); only=${2:-generate}; pairs=${PAIRS:-6}
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d); variant=$scratch/variant
git worktree add -q --detach "$variant" HEAD
trap 'git worktree remove --force "$variant"; rm -rf "$scratch"' EXIT
git -C "$variant" apply "$patch"
swift build -c release --product judgeflow-bench >/dev/null
swift build -c release --product judgeflow-bench --package-path "$variant" --scratch-path "$variant/.build" >/dev/null
flags="model --threads 2 --d 128 --layers 4 --heads 4 --vocab 512 --text 128 --image 32 --batch 32 --steps 20 --only $only --json"
figure() { "$1" $flags | tail -1 | python3 -c "import json, sys; print(json.load(sys.stdin)['${only}_tokens_per_s'])"; }
ratios=()
for ((i = 1; i <= pairs; i++)); do
  a=$(figure .build/release/judgeflow-bench); b=$(figure "$variant/.build/release/judgeflow-bench")
  ratios+=("$(python3 -c "print(round($b / $a, 3))")")
  echo "pair $i: A $a  B $b  B/A ${ratios[-1]}"
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; print(f'B/A median {statistics.median(r):.3f} (range {min(r):.3f}–{max(r):.3f}, {len(r)} pairs)')" "${ratios[@]}"
