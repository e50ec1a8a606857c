#!/usr/bin/env bash
# What the embedded judge's verdict learns of colour and size claims. Two tables:
# 1. the main job's own synthetic open pairs by injected error: the share each iteration's traces
#    prefer rightly (traces@1 are the base model's, traces@4 judge@3's); colour and size apart;
# 2. workflows/binding-budget.yaml (the main job's base model, cached when the main job has run): for
#    800, 1600 and 4000 steps of training on colour-or-size pairs with true labels, the share of fresh
#    pairs of that kind each judge prefers rightly, with the main job's verdicts after every word pair
#    (`budget@i`) and with one verdict after the whole check (`one_verdict@i`).
# Run the main job first.
#   bash bench/binding/run.sh [STORE]          # default ./artifacts
set -euo pipefail
cd "$(dirname "$0")/../.."
STORE=${1:-artifacts}
OUT=${OUT:-$(mktemp -d)}
swift build -c release --product judgeflow >/dev/null
JF=$PWD/.build/release/judgeflow
for i in 1 2 3 4; do
  $JF export "traces@$i" "$OUT/traces@$i" --workflow workflows/self-improve.yaml --store "$STORE" >/dev/null
done
W=workflows/binding-budget.yaml
nodes=()
for i in 1 2 3; do nodes+=(--only "budget@$i" --only "one_verdict@$i"); done
$JF run $W --store "$STORE" "${nodes[@]}" -q >&2
for i in 1 2 3; do
  for node in budget one_verdict; do $JF export "$node@$i" "$OUT/$node@$i" --workflow $W --store "$STORE" >/dev/null; done
done
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
colours = {"red", "green", "blue", "yellow", "purple", "orange", "white"}
sizes = {"small", "large"}

def changed(pair):
    """The one word the rejected response changed, or None."""
    a, b = pair["preferred"].split(), pair["rejected"].split()
    words = [x for x, y in zip(a, b) if x != y] if len(a) == len(b) else []
    return words[0] if len(words) == 1 else None

def share(right):
    return f"{right[0] / right[1]:.2f} ({right[1]})" if right[1] else "—"

rows = {}
for i in range(1, 5):
    for line in open(f"{out}/traces@{i}/traces/traces.jsonl"):
        r = json.loads(line)
        source = r["pair"]["source"]
        if not source.startswith("injected:"): continue
        kind = source.split(":", 1)[1]
        if kind == "attribute":
            word = changed(r["pair"])
            kind = "attribute: colour" if word in colours else "attribute: size" if word in sizes else "attribute: other"
        cell = rows.setdefault(kind, {}).setdefault(i, [0, 0])
        cell[0] += r["straight"] > 0
        cell[1] += 1
print("| injected error | " + " | ".join(f"traces@{i}" for i in range(1, 5)) + " |")
print("|---|" + "---|" * 4)
for kind in sorted(rows):
    print(f"| {kind} | " + " | ".join(share(rows[kind].get(i, [0, 0])) for i in range(1, 5)) + " |")
print()
print("| fine-tuning steps | colour changed, word verdicts | size changed, word verdicts | colour changed, one verdict | size changed, one verdict |")
print("|---|---|---|---|---|")
for i, steps in [(1, 800), (2, 1600), (3, 4000)]:
    cells = []
    for node in ["budget", "one_verdict"]:
        right = {"colour": [0, 0], "size": [0, 0]}
        for line in open(f"{out}/{node}@{i}/traces/traces.jsonl"):
            r = json.loads(line)
            word = changed(r["pair"])
            kind = "colour" if word in colours else "size" if word in sizes else None
            if kind is None: continue
            right[kind][0] += r["straight"] > 0
            right[kind][1] += 1
        cells += [share(right["colour"]), share(right["size"])]
    print(f"| {steps} | " + " | ".join(cells) + " |")
PY
