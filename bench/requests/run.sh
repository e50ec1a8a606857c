#!/usr/bin/env bash
# The request layer against a loopback server that answers at once: JudgeFlow's RequestRunner and the
# official openai Python client (the reference), alternated, same requests, same server, 64 in flight;
# then JudgeFlow with its response cache on, and with 100,000 requests queued (peak memory).
#   bash bench/requests/run.sh            (OPENAI_PY: a python with `openai`; default the real-server venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product judgeflow-bench >/dev/null
BENCH=.build/release/judgeflow-bench
OPENAI_PY=${OPENAI_PY:-$HOME/.cache/llama-server-build/venv/bin/python}
PORT=${PORT:-18181}
N=${N:-20000}
$BENCH chat-server --port "$PORT" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
URL=http://127.0.0.1:$PORT/v1
for round in 1 2 3; do
  echo "round $round"
  $BENCH requests --url "$URL" --requests "$N" --in-flight 64 | sed 's/^/  judgeflow: /'
  if [ -x "$OPENAI_PY" ]; then "$OPENAI_PY" bench/requests/openai_client.py "$URL" "$N" 64 | sed 's/^/  /'; fi
done
cache=$(mktemp -d)
$BENCH requests --url "$URL" --requests "$N" --in-flight 64 --cache "$cache" | sed 's/^/with the response cache: /'
rm -rf "$cache"
$BENCH requests --url "$URL" --requests 100000 --in-flight 64 | sed 's/^/100,000 queued: /'
