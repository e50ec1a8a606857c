#!/usr/bin/env bash
# judgeflow serve under load: generated tokens/s with 1, 4, 16 and 64 concurrent clients (512 caption
# requests of up to 48 tokens, temperature 1, a seed each), beside the in-process generation of the same
# requests — all in one batched call, and C at a time (what C clients can give a batch) — alternated,
# three rounds, for each model named (default: the quick-start size, d 64 × 2 layers, and d 128 × 4
# layers). Server and in-process both use 2 threads; clients and server share the 2 cores.
#   bash bench/serve/run.sh [MODEL.yaml ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product judgeflow >/dev/null
swift build -c release --product judgeflow-bench >/dev/null
JF=$PWD/.build/release/judgeflow BENCH=$PWD/.build/release/judgeflow-bench
work=$(mktemp -d)
server=
trap 'if [ -n "$server" ]; then kill $server 2>/dev/null || true; fi; rm -rf "$work"' EXIT
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(bench/serve/model.yaml bench/serve/model-d128.yaml)
$JF world scene --seed 1 --index 7 --set image_size=24 --set grid=3 --set max_objects=3 -o "$work/scene.json"
$JF world render "$work/scene.json" -o "$work/scene.png"
PORT=${PORT:-18300}
Q="describe the image ."
for spec in "${models[@]}"; do
  echo "model $spec"
  rm -rf "$work/model"
  $JF run "$spec" --store "$work/store" -q
  $JF export base "$work/model" --workflow "$spec" --store "$work/store" >/dev/null
  $JF serve "$work/model/model" --port "$PORT" --name base --threads 2 2>"$work/serve.log" &
  server=$!
  sleep 1
  for round in 1 2 3; do
    echo "round $round"
    for clients in 1 4 16 64; do
      [ "$clients" = 1 ] && $BENCH generate --checkpoint "$work/model/model" --image "$work/scene.png" --question "$Q" --max-tokens 48 --threads 2 | sed 's/^/  /'
      $BENCH generate --checkpoint "$work/model/model" --image "$work/scene.png" --question "$Q" --max-tokens 48 --threads 2 --batch "$clients" | sed 's/^/  /'
      $BENCH serve-load --url "http://127.0.0.1:$PORT/v1" --model base --image "$work/scene.png" --question "$Q" --max-tokens 48 --clients "$clients" | sed 's/^/  /'
    done
  done
  kill $server; wait $server 2>/dev/null || true; server=
done
