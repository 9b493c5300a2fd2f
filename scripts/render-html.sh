#!/usr/bin/env bash
# Renders a mailsim HTML report to a PNG with headless Chromium, to look at it (docs/reports.md).
# Test-only: the ctest suite never needs a browser; this script installs Debian's
# `chromium` package when it is missing (root, or sudo).
#   scripts/render-html.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
html=$(realpath "$1")
png=${2:-${1%.html}.png}
size=${3:-1400x2400}
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# No network: the report is self-contained, and these flags keep Chromium from calling home.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --screenshot="$(realpath -m "$png")" --window-size="${size/x/,}" "file://$html" 2>/dev/null
echo "$png"
