#!/usr/bin/env bash
# Installs the Debian 12 packages mailsim needs. Idempotent and non-interactive: does
# nothing when every package is already installed.
#   scripts/install-deps.sh          what building and running mailsim needs (make demo)
#   scripts/install-deps.sh --test   that, plus what the test suite and benchmarks need (make test)
#   scripts/install-deps.sh --fuzz   that, plus clang and its libFuzzer runtime (make fuzz)
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libsimgrid-dev libboost-graph-dev libyaml-cpp-dev libfmt-dev libcli11-dev nlohmann-json3-dev libinih-dev
)
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--fuzz" ]; then
  # GoogleTest, Google Benchmark; the Kubernetes API schema for the scale-out manifest test;
  # Chromium and ChromeDriver for the HTML pages' browser test (tests/browser).
  # (The Slurm test installs slurmctld, slurmd and munge itself: tests/scale.)
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev python3-kubernetes python3-yaml chromium chromium-driver)
fi
if [ "${1:-}" = "--fuzz" ]; then
  # libFuzzer and the clang sanitizer runtimes are in libclang-rt-14-dev (Debian 12).
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
