#!/usr/bin/env bash
# Runs the three scale-out recipes of docs/scale-out.md locally, shards as separate
# processes, merges them, and checks each merge is byte-identical to an unsharded run.
# Usage: scripts/scale-out-local.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
M="$B/mailsim"
T=topologies/tutorial/lb-pair.yaml
W=$(mktemp -d out/scale-out.XXXXXX 2>/dev/null || { mkdir -p out; mktemp -d out/scale-out.XXXXXX; })
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/shards"

check() {  # name whole merged
  if cmp -s "$2" "$3"; then echo "ok: $1: merged shards == unsharded run ($(wc -c <"$2") bytes)";
  else echo "FAIL: $1: merged shards differ from the unsharded run"; exit 1; fi
}

# 1. Slurm job array: each array task is one process with SLURM_ARRAY_TASK_ID set.
N=3
for id in $(seq 0 $((N - 1))); do
  SLURM_ARRAY_TASK_ID=$id SLURM_CPUS_PER_TASK=1 bash -c '
    "$0" explore "$1" --faults 2 --rate 20 -j "$SLURM_CPUS_PER_TASK" -q --no-progress \
      --cache "$2/cache-$SLURM_ARRAY_TASK_ID" --shard "$SLURM_ARRAY_TASK_ID/$3" \
      --json "$2/shards/explore-$SLURM_ARRAY_TASK_ID.json"' "$M" "$T" "$W" "$N" &
done
wait
"$M" merge -q "$W"/shards/explore-*.json --json "$W/explore-merged.json"
"$M" explore "$T" --faults 2 --rate 20 -q --no-progress --cache "$W/cache-whole" --json "$W/explore-whole.json"
check "slurm (explore)" "$W/explore-whole.json" "$W/explore-merged.json"

# 2. Kubernetes Indexed Job: the container command with JOB_COMPLETION_INDEX set.
N=2
R="--rate 20 --pairs no --reps 20 --horizon 5y --min-years 2000 --max-years 20000"
for idx in $(seq 0 $((N - 1))); do
  JOB_COMPLETION_INDEX=$idx /bin/sh -c "$M reliability $T $R -j 1 --no-progress -q \
    --cache $W/cache-r\$JOB_COMPLETION_INDEX \
    --shard \$JOB_COMPLETION_INDEX/$N --json $W/shards/reliability-\$JOB_COMPLETION_INDEX.json" &
done
wait
"$M" merge -q "$W"/shards/reliability-*.json --json "$W/reliability-merged.json"
"$M" reliability $T $R -q --no-progress --cache "$W/cache-r-whole" --json "$W/reliability-whole.json"
check "kubernetes (reliability)" "$W/reliability-whole.json" "$W/reliability-merged.json"

# 3. GNU parallel (xargs -P when parallel is missing).
N=4
S="$T tests/runset/inputs/imap-load.yaml --set load.imap.rate=20/s..160/s*2 --set services.imap.steps.1.cpu=100ms"
if command -v parallel >/dev/null; then
  seq 0 $((N - 1)) | parallel -j "$N" "$M" sweep $S -j 1 -q --no-progress --cache "$W/cache-s{}" \
    --shard {}/$N --json "$W/shards/sweep-{}.json"
else
  echo "(GNU parallel not installed: running the same command through xargs -P)"
  seq 0 $((N - 1)) | xargs -P "$N" -I{} "$M" sweep $S -j 1 -q --no-progress --cache "$W/cache-s{}" \
    --shard {}/$N --json "$W/shards/sweep-{}.json"
fi
"$M" merge -q "$W"/shards/sweep-*.json --json "$W/sweep-merged.json"
"$M" sweep $S -q --no-progress --cache "$W/cache-s-whole" --json "$W/sweep-whole.json"
check "gnu parallel (sweep)" "$W/sweep-whole.json" "$W/sweep-merged.json"
