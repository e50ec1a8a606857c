#!/usr/bin/env bash
# CI's bounded fuzzing run: bench/fuzz/run.sh for 60 s (plus the fuzzer's build, about 3 minutes cold on
# 2 cores). Fails when an input crashed, ran over 10 s or went past 2 GiB; the inputs are listed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${FUZZ_SCRATCH:-/tmp/judgeflow-fuzz}"
status=0
FUZZ_SCRATCH="$scratch" "$here/run.sh" "${FUZZ_SECONDS:-60}" || status=$?
if [ "$status" -eq 2 ]; then
  echo "the fuzz target did not build (log above)" >&2
  exit 2
elif [ "$status" -ne 0 ]; then
  echo "fuzzing found inputs the workflow loader or graph builder does not survive:" >&2
  ls -l "$scratch/findings" >&2
  exit 1
fi
