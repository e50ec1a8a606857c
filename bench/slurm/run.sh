#!/usr/bin/env bash
# The Slurm executor's overhead on a running Slurm cluster (.ci/run's, or ../shared/slurm/local-cluster.sh):
#  1. one trivial node, submit to done: Slurm's own floor (`sbatch --wrap true`, then `squeue` every 50 ms
#     until it has left the queue), JudgeFlow under --executor slurm, and JudgeFlow locally, alternated,
#     ROUNDS times each;
#  2. the peer harness's 100-node DAG (../shared/bench/peers) under Slurm and locally, beside Snakemake
#     locally and, with SNAKEMAKE_SLURM=1, Snakemake's Slurm executor plugin (pip
#     snakemake-executor-plugin-slurm; it tracks jobs with sacct, so it needs Slurm accounting), all in
#     one run; PEERS=0 skips this part.
#   PATH=/tmp/peers-venv/bin:$PATH bash bench/slurm/run.sh      (a venv with snakemake; the plugin optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product judgeflow >/dev/null
JF=$PWD/.build/release/judgeflow
ROUNDS=${ROUNDS:-10}
work=$(mktemp -d /tmp/jf-slurm-bench.XXXX)
trap 'rm -rf "$work"' EXIT
printf 'stages:\n  one: {uses: shell, with: {cmd: "echo one"}}\n' > "$work/one.yaml"
now() { date +%s.%N; }
floor=() slurm=() local=()
for r in $(seq "$ROUNDS"); do
  t=$(now); id=$(cd "$work" && sbatch --parsable -o /dev/null --wrap true)
  while squeue -h -j "$id" -t PD,CF,R,CG 2>/dev/null | grep -q .; do sleep 0.05; done; floor+=("$(echo "$(now) - $t" | bc)")
  t=$(now); (cd "$work" && "$JF" run -q one.yaml --store "s$r" --executor slurm); slurm+=("$(echo "$(now) - $t" | bc)")
  t=$(now); (cd "$work" && "$JF" run -q one.yaml --store "l$r"); local+=("$(echo "$(now) - $t" | bc)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "one trivial node, submit to done, median of $ROUNDS (seconds):"
echo "  slurm itself (sbatch, squeue every 50 ms): $(median "${floor[@]}")"
echo "  judgeflow --executor slurm:               $(median "${slurm[@]}")"
echo "  judgeflow local:                          $(median "${local[@]}")"

[ "${PEERS:-1}" = 0 ] && exit 0
engines=(--engines snakemake --engine judgeflow=bench/engine/judgeflow.json --engine judgeflow-slurm=bench/slurm/judgeflow-slurm.json)
if [ "${SNAKEMAKE_SLURM:-0}" = 1 ]; then engines+=(--engine snakemake-slurm=bench/slurm/snakemake-slurm.json); fi
python3 ../shared/bench/peers/run.py "$work/peers" --stages 100 --repeat 3 "${engines[@]}"
