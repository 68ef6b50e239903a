#!/usr/bin/env bash
# Screenshots of a report and of a two-key sweep, rendered in headless
# Chromium, for docs/screenshots/ (README.md, "Layout"): the allocator
# scenario's report.html, and partitioned-region swept over CPUs and the
# quantum (on 1 CPU a partitioned region is not cheaper, so those variants
# fail a check: the sweep exits 123 and its page marks them).
#   tools/report/web/screenshots.sh [DUSIM]   (default: build/tools/dusim)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
dusim=${1:-$root/build/tools/dusim}
out=$root/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
"$dusim" run "$root/scenarios/allocator-race-fix.yaml" --out "$work/report" -q > /dev/null
rc=0
"$dusim" sweep "$root/scenarios/partitioned-region.yaml" --vary cpus=1,2,4,8 --vary quantum=100,1000 --out "$work/sweep" \
  > /dev/null 2>&1 || rc=$?
[[ $rc -eq 0 || $rc -eq 123 ]] || { echo "screenshots.sh: the sweep exited $rc" >&2; exit 1; }
"$root/tools/report/web/render.sh" png "$work/report/report.html" "$out/report.png" 1200
"$root/tools/report/web/render.sh" png "$work/sweep/sweep.html" "$out/sweep.png" 1200
echo "screenshots: $out/report.png, $out/sweep.png"
