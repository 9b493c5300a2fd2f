#!/usr/bin/env bash
# The Slurm path of docs/scale-out.md, for real: a one-node Slurm cluster on localhost
# (Debian's slurmctld, slurmd and munge) runs the documented array job
# examples/scale-out/slurm-explore.sbatch as 4 shards, `mailsim merge` combines them, and the merged
# result must be byte-identical to the same explore run on one machine.
# Usage (ctest runs it from the repository root, label "slurm"): slurm_array_test.sh BUILD
# Installs the packages when they are missing and it runs as root; otherwise exit 77 (skip).
set -euo pipefail
build=$(realpath "${1:?build dir}")
mailsim="$build/mailsim"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "slurm or munge missing and not root: skipped"; exit 77; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
if [ "$(id -u)" -ne 0 ]; then echo "starting slurmctld and slurmd needs root: skipped"; exit 77; fi

# One cluster at a time on this machine: its ports, munged and the node name are shared by
# every checkout that runs this test (several worktrees testing at once would collide).
exec 9>/tmp/mailsim-slurm-test.lock
flock 9

work=$(mktemp -d /tmp/mailsim-slurm.XXXXXX)
export SLURM_CONF="$work/slurm.conf"
started_munge=0
cleanup() {
  scancel --full -u root >/dev/null 2>&1 || true
  for p in slurmd slurmctld; do [ -f "$work/$p.pid" ] && kill "$(cat "$work/$p.pid")" 2>/dev/null || true; done
  [ "$started_munge" = 1 ] && pkill -x munged 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# munge authenticates Slurm's messages; its key comes with the package.
if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged
  started_munge=1
fi

node=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/out"
cat > "$SLURM_CONF" <<CONF
ClusterName=mailsim-test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=46817
SlurmdPort=46818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld
slurmd
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %T | grep -q idle || { echo "the Slurm node never became idle"; cat "$work"/*.log; exit 1; }

# The documented array job, 4 shards, waited for.
sbatch --wait --array=0-3 --cpus-per-task=1 --output="$work/out/%A_%a.log" \
  --export=ALL,MAILSIM="$mailsim",MAILSIM_OUT="$work/out" examples/scale-out/slurm-explore.sbatch
ls "$work"/out/shards/explore-{0,1,2,3}.json >/dev/null
"$mailsim" merge "$work"/out/shards/explore-*.json --json "$work/merged.json" >/dev/null

# The same set on one machine, without Slurm.
"$mailsim" explore topologies/tutorial/lb-pair.yaml --faults 2 -j 2 --no-progress --cache "$work/cache-one" \
  --json "$work/one.json" >/dev/null
cmp "$work/merged.json" "$work/one.json"
echo "4 Slurm shards merged into the same bytes as the single-machine run"
