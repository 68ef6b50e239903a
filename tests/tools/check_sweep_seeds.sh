#!/usr/bin/env bash
# Seeds swept with another key and --plot: sweep.csv is tidy (one row per
# variant and seed, every row as wide as the header, numbers where numbers
# belong, units in the metric columns' names); sweep-summary.csv has each
# combination's mean and 95 % interval (the seeds' spread put into the
# reports and tabulated again with --collect); sweep.html, rendered in headless
# Chromium, plots only the picked metrics, means with interval bars
# (check_sweep_seeds.py). An unknown --plot metric is an input error.
#   check_sweep_seeds.sh DUSIM RENDER SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 render=$2 scenario=$3 kernel=$4
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dusim" sweep "$scenario" --vary cpus=2,4 --vary seed=1,2,3 --plot calls_after,call_max_cycles --set kernel="$kernel" \
  --out "$dir/typo" --plot calls_aftr > "$dir/typo.log" 2>&1
rc=$?
[[ $rc -eq 125 ]] || fail "--plot of an unknown metric exited $rc"
grep -q "did you mean calls_after?" "$dir/typo.log" || fail "--plot typo: $(cat "$dir/typo.log")"
[[ -e $dir/typo ]] && fail "--plot typo wrote $dir/typo"
echo "ok: --plot of an unknown metric is an input error naming the nearest"
"$dusim" sweep "$scenario" --vary cpus=2,4 --vary seed=1,2,3 --plot calls_after,call_max_cycles --set kernel="$kernel" \
  --out "$dir/s" > "$dir/out.log" 2>&1 || { rc=$?; cat "$dir/out.log"; fail "the seed sweep exited $rc"; }
# The stand-in guest does not use its seed, so every seed gives the same
# numbers: spread two metrics over the seeds in the variants' reports, as a
# seeded guest would, and tabulate again (--collect reads the folders).
python3 - "$dir/s" <<'PY' || exit 1
import json, sys
plan = json.load(open(sys.argv[1] + "/plan.json"))
for v in plan["variants"]:
    f = v["dir"] + "/report.json"
    r = json.load(open(f))
    r["metrics"]["calls_after"] += 10 * v["seed"] ** 2
    r["metrics"]["call_max_cycles"] += 3 * v["seed"]
    json.dump(r, open(f, "w"), indent=2)
PY
"$dusim" sweep --collect "$dir/s" > "$dir/collect.log" 2>&1 || { rc=$?; cat "$dir/collect.log"; fail "--collect exited $rc"; }
"$render" dom "$dir/s/sweep.html" "$dir/dom.html" || fail "could not render sweep.html"
python3 "$here/check_sweep_seeds.py" "$dir/s" "$dir/dom.html"
