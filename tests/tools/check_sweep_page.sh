#!/usr/bin/env bash
# A two-key sweep in which some variants fail a check: the sweep exits 123
# and names each failed variant and its check; sweep.csv has every
# update's columns; sweep.html, rendered in headless Chromium, draws every
# variant and marks the failed ones (check_sweep_page.py).
#   check_sweep_page.sh DUSIM RENDER SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 render=$2 scenario=$3 kernel=$4
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Delivered at 0.39 ms, the update leaves too little run after it for the
# scenario's check "calls_after > 100": those variants fail.
"$dusim" sweep "$scenario" --vary cpus=2,4 --vary updates.0.at_ms=0.2,0.39 --set kernel="$kernel" --out "$dir/s" \
  > "$dir/out.log" 2> "$dir/err.log"
rc=$?
[[ $rc -eq 123 ]] || { cat "$dir/out.log" "$dir/err.log"; fail "a sweep with failed checks exited $rc, expected 123"; }
for v in cpus-2_at_ms-0.39 cpus-4_at_ms-0.39; do
  grep -q "variant $v: check failed: and after it: expected metrics.calls_after > 100, got" "$dir/err.log" ||
    { cat "$dir/err.log"; fail "the sweep did not name variant $v and its failed check"; }
done
grep -q "cpus-2_at_ms-0.2:" "$dir/err.log" && fail "a variant that passed is reported as failed"
echo "ok: exit 123; the failed variants and checks are named"
head -1 "$dir/s/sweep.csv" | grep -q "^variant,machine.cpus,updates.0.at_ms,seed,kernel,exit_code,hello.status,hello.latency_ns,hello.blocked_calls,hello.blocked_max_ns," ||
  fail "sweep.csv header: $(head -1 "$dir/s/sweep.csv")"
"$render" dom "$dir/s/sweep.html" "$dir/dom.html" || fail "could not render sweep.html"
python3 "$here/check_sweep_page.py" "$dir/s" "$dir/dom.html" machine.cpus updates.0.at_ms
