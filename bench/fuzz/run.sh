#!/usr/bin/env bash
# Fuzzes the workflow loader and graph builder (bench/fuzz/workflow-fuzz) with libFuzzer for SECONDS
# (default 600) and prints executions, exec/s, crashes, hangs (> 10 s), out-of-memory inputs and peak RSS.
#   bench/fuzz/run.sh [SECONDS]
# Builds with `swift build --sanitize=fuzzer` in $FUZZ_SCRATCH (default /tmp/judgeflow-fuzz, outside the
# checkout's .build, so the normal build is untouched). One fork-mode job keeps going after a finding;
# this run's findings are saved as $FUZZ_SCRATCH/findings/{crash,timeout,oom}-<sha1> (emptied at the
# start; copy them elsewhere to keep them) and each replays with
#   $FUZZ_SCRATCH/build/release/workflow-fuzz FILE
# Seeds: workflows/, bench/fuzz/seeds/ and the reliability reproducers in $FUZZ_REPRO_SEEDS (default
# ../shared/reliability-repro, skipped if absent; set it empty to see what mutation alone finds). The
# corpus grows in $FUZZ_SCRATCH/corpus across runs. Exit status: 0 if nothing was found, 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-600}"
scratch="${FUZZ_SCRATCH:-/tmp/judgeflow-fuzz}"
mkdir -p "$scratch/corpus"
scratch="$(cd "$scratch" && pwd)"
rm -rf "$scratch/findings" && mkdir -p "$scratch/findings"

JUDGEFLOW_FUZZ=1 swift build -c release --sanitize=fuzzer --product workflow-fuzz \
  --package-path "$root" --scratch-path "$scratch/build" >"$scratch/build.log" 2>&1 \
  || { tail -30 "$scratch/build.log"; exit 2; }
fuzzer="$scratch/build/release/workflow-fuzz"

seeds="$scratch/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1)); cp "$f" "$seeds/$n-$(basename "$f")"
done < <(find "$root/workflows" "$root/bench/fuzz/seeds" ${FUZZ_REPRO_SEEDS-"$root/../shared/reliability-repro"} \
           -name '*.yaml' -print0 2>/dev/null)

start=$(date +%s)
# -timeout: an input running over 10 s is a hang. -rss_limit_mb / -malloc_limit_mb: over 2 GiB is an OOM.
SWIFT_BACKTRACE=enable=no /usr/bin/time -v -o "$scratch/time.txt" \
  "$fuzzer" "$scratch/corpus" "$seeds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=32768 \
  -dict="$root/bench/fuzz/workflow.dict" -artifact_prefix="$scratch/findings/" -print_final_stats=1 \
  >"$scratch/fuzz.log" 2>&1 || true
elapsed=$(( $(date +%s) - start ))

# Fork mode's status lines: "#EXECS: cov: … exec/s: N oom/timeout/crash: O/T/C time: Ss job: J …".
last=$(grep -E '^#[0-9]+: cov:' "$scratch/fuzz.log" | tail -1 || true)
execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
crashes=$(find "$scratch/findings" -type f -name 'crash-*' | wc -l)
timeouts=$(find "$scratch/findings" -type f -name 'timeout-*' | wc -l)
ooms=$(find "$scratch/findings" -type f -name 'oom-*' | wc -l)
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$scratch/time.txt")
{
  echo "command: bench/fuzz/run.sh $seconds  (libFuzzer -fork=1, $(nproc) cores, seeds: $n files)"
  echo "wall time: ${elapsed} s"
  echo "executions: ${execs:-?}  ($(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) )) exec/s)"
  echo "fork status: ${last:-none}"
  echo "findings (in $scratch/findings): crashes $crashes, hangs over 10 s $timeouts, over 2 GiB $ooms"
  echo "peak RSS of any process: $(( ${rss:-0} / 1024 )) MiB"
} | tee "$scratch/summary.txt"
[ "$((crashes + timeouts + ooms))" -eq 0 ]
