#!/usr/bin/env bash
# dusim sweep: one row per variant in sweep.csv, the varied value in each
# report, and a plot with one point per variant.
#   check_sweep.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dusim" sweep "$scenario" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" --out "$dir" || fail "sweep exited $?"
[[ $(wc -l < "$dir/sweep.csv") -eq 5 ]] || fail "sweep.csv has $(wc -l < "$dir/sweep.csv") lines, expected 1 + 4"
for v in cpus-2_quantum_cycles-250 cpus-4_quantum_cycles-500; do
  [[ -s "$dir/$v/report.json" ]] || fail "no report for $v"
done
grep -q '"cpus": 4' "$dir/cpus-4_quantum_cycles-500/report.json" || fail "variant did not get 4 CPUs"
grep -q '"quantum_cycles": 250' "$dir/cpus-2_quantum_cycles-250/report.json" || fail "variant did not get quantum 250"
grep -q '"variant":"cpus-4_quantum_cycles-500"' "$dir/sweep.html" || fail "sweep.html does not plot every variant"
head -1 "$dir/sweep.csv" | grep -q ",calls_before_events,calls_after_events,call_p50_ns_before_ns,call_max_cycles,modules_loaded_events," || fail "sweep.csv has no metric columns: $(head -1 "$dir/sweep.csv")"
[[ $(sed -n 2p "$dir/sweep.csv" | awk -F, '{print NF}') -eq $(head -1 "$dir/sweep.csv" | awk -F, '{print NF}') ]] || fail "rows and header differ in width"
echo "ok: 4 variants, table and plot"
