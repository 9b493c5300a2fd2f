#!/usr/bin/env bash
# Validation at scale (issue 20, docs/performance.md): generates a topology of 100,000
# nodes, one of 100,000 components and a scenario of 100,000 faults, and times
# `mailsim validate` on each (wall seconds, CPU seconds (user + system: the figure that
# holds on a loaded machine) and peak RSS, from /usr/bin/time).
# Usage: scripts/bench-validate.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
net="network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 100Gbps, client_latency: 2ms, client_bandwidth: 10Gbps}"
svc=$'services:\n  - name: smtp\n    steps:\n      - {component: mail0, op: smtp, cpu: 1ms}'
{
  echo "name: many-nodes"; echo "$net"; echo "nodes:"
  for ((i = 0; i < n; i++)); do echo "  - {name: n$i, cores: 4, speed: 2Gf}"; done
  echo "components:"; echo "  - {name: mail0, model: mail_node, nodes: [n0, n1]}"; echo "$svc"
} > "$work/nodes.yaml"
{
  echo "name: many-components"; echo "$net"; echo "nodes:"
  echo "  - {name: n0, cores: 4, speed: 2Gf}"; echo "  - {name: n1, cores: 4, speed: 2Gf}"; echo "components:"
  for ((i = 0; i < n; i++)); do echo "  - {name: mail$i, model: mail_node, nodes: [n0, n1]}"; done
  echo "$svc"
} > "$work/components.yaml"
{
  echo "name: many-faults"; echo "duration: 1000s"; echo "client: {timeout: 10s}"
  echo "load:"; echo "  - {service: smtp, rate: 1/s}"; echo "faults:"
  for ((i = 0; i < n; i++)); do printf '  - {at: %d.%04ds, crash: {node: n0}, for: 1ms}\n' $((i / 100)) $((i % 100 * 100)); done
} > "$work/faults.yaml"
small="$work/small.yaml"
head -n 5 "$work/nodes.yaml" > "$small"; echo "components:" >> "$small"
echo "  - {name: mail0, model: mail_node, nodes: [n0, n1]}" >> "$small"; echo "$svc" >> "$small"
printf '%-28s %10s %10s %12s\n' "validate" "wall s" "CPU s" "peak RSS MB"
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$build/mailsim" validate "$@" >/dev/null
  read -r secs user sys kb < "$work/t"
  printf '%-28s %10s %10.2f %12d\n' "$label" "$secs" "$(echo "$user + $sys" | bc)" $((kb / 1024))
}
run "$n nodes" "$work/nodes.yaml"
run "$n components" "$work/components.yaml"
run "$n faults" "$work/faults.yaml" --topology "$small"
