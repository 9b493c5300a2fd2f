#!/usr/bin/env bash
# Rewrites tests/golden/fingerprints.txt: the SHA-256 of the run JSON of each case in
# tests/golden/cases.txt. Run it only after a change whose every difference in those runs
# is explained (in the commit message), never to make golden_test pass.
# Usage: scripts/golden.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=tests/golden/fingerprints.txt
{
  echo "# SHA-256 of the run JSON per case of tests/golden/cases.txt (scripts/golden.sh writes it)."
  i=0
  grep -v '^#' tests/golden/cases.txt | while read -r topo scen seed; do
    [ -n "$topo" ] || continue
    i=$((i + 1))
    code=0
    "$build/mailsim" run "$topo" "$scen" --seed "$seed" --json "$tmp/$i.json" -q >/dev/null || code=$?
    if [ "$code" -gt 1 ]; then echo "golden.sh: $topo $scen failed with exit $code" >&2; exit 1; fi
    echo "$(sha256sum < "$tmp/$i.json" | cut -d' ' -f1) $topo $scen $seed"
  done
} > "$tmp/fingerprints"
mv "$tmp/fingerprints" "$out"
echo "wrote $out"
