#!/usr/bin/env bash
# What the judge's own answer says on the benchmarks' closed binding items (`same-scene-distractor`,
# `absent-combination`): the judge checks a closed answer against its own, so its accuracy there is
# bounded by how often its own answer is right. Serves the base model, the last judge and the oracle of a
# workflow's run (`judgeflow serve`), asks each item's question with its image, greedily, and prints the
# share of answers that are the preferred response, per benchmark, kind and model. Run the workflow first.
#   bash bench/ownanswer/run.sh [WORKFLOW] [STORE]      # default: workflows/self-improve.yaml, ./artifacts
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKFLOW=${1:-workflows/self-improve.yaml}
STORE=${2:-artifacts}
OUT=${OUT:-$(mktemp -d)}
swift build -c release --product judgeflow >/dev/null
JF=$PWD/.build/release/judgeflow
for bench in vlrb mmrb; do $JF export "$bench" "$OUT/$bench" --workflow "$WORKFLOW" --store "$STORE" >/dev/null; done
last=base
for i in 1 2 3 4 5 6 7 8; do
  $JF show "judge@$i" --workflow "$WORKFLOW" --store "$STORE" >/dev/null 2>&1 && last="judge@$i"
done
models=(base "$last" oracle)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for m in "${models[@]}"; do
  $JF serve "$m" --workflow "$WORKFLOW" --store "$STORE" --port 0 --name "$m" > "$OUT/serve-$m.log" 2>&1 &
  pids+=($!)
done
for m in "${models[@]}"; do
  for _ in $(seq 100); do grep -q '^serving ' "$OUT/serve-$m.log" && break; sleep 0.1; done
done
python3 - "$OUT" "${models[@]}" <<'PY'
import base64, collections, json, sys, urllib.request
out, models = sys.argv[1], sys.argv[2:]
urls = {m: open(f"{out}/serve-{m}.log").readline().split(" at ")[1].strip() for m in models}

def ask(model, image, question):
    body = {"model": model, "temperature": 0, "max_tokens": 16,
            "messages": [{"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": "data:image/png;base64," + image}},
                {"type": "text", "text": question}]}]}
    request = urllib.request.Request(urls[model] + "/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    text = json.load(urllib.request.urlopen(request))["choices"][0]["message"]["content"]
    return text.split("<sep>")[0].strip()   # a judge writes on past its answer; the answer ends at <sep>

right = collections.defaultdict(lambda: [0, 0])
for bench in ["vlrb", "mmrb"]:
    directory = f"{out}/{bench}/benchmark"
    for line in open(f"{directory}/items.jsonl"):
        item = json.loads(line)
        kind = item["source"].split("/")[-1]
        if kind not in ("same-scene-distractor", "absent-combination"): continue
        image = base64.b64encode(open(f"{directory}/{item['image']}", "rb").read()).decode()
        truth = item["responses"][item["preferred"]]
        for m in models:
            cell = right[(bench, kind, m)]
            cell[0] += ask(m, image, item["query"]) == truth
            cell[1] += 1
print("| benchmark | kind | " + " | ".join(f"{m}'s own answer right" for m in models) + " |")
print("|---|---|" + "---|" * len(models))
for bench in ["vlrb", "mmrb"]:
    for kind in ["same-scene-distractor", "absent-combination"]:
        cells = [right[(bench, kind, m)] for m in models]
        print(f"| {bench} | {kind} | " + " | ".join(f"{r / n:.2f} ({n})" for r, n in cells) + " |")
PY
