#!/usr/bin/env bash
# Stress of the update lifecycle, outside CI: the guest test update_stress
# (tests/update/stress_test.cc) with SWAPS hot swaps (object swaps, class
# updates and their reverts, module unloads, a commit) under load, at each
# CPU count, checking that no call was lost, duplicated, misrouted or served
# by freed code. The suite runs a short version (update.update_stress.4cpu,
# 300 swaps).
#
#   tools/stress/updates.sh [BUILD_DIR]            10,000 swaps at 4 and 16 CPUs
#   SWAPS=2000 CPUS="4 16 64" tools/stress/updates.sh
#
# Prints the guest's count line per run; exits 1 if any run fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
dusim=${DUSIM:-$build/tools/dusim}
kernel=${KERNEL:-$build/guest/tests/guest/test_kernel.elf}
swaps=${SWAPS:-10000}
cpus=${CPUS:-4 16}
[[ -x $dusim ]] || { echo "no dusim at $dusim (build it, or set DUSIM)" >&2; exit 1; }
[[ -f $kernel ]] || { echo "no kernel at $kernel (build the guest, or set KERNEL)" >&2; exit 1; }
status=0
for n in $cpus; do
  log=$(mktemp)
  start=$(date +%s)
  "$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" --arg test=update_stress --arg swaps="$swaps" \
    --max-ms 1000000 >"$log" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  line=$(grep -m1 '^stress: ' "$log" || true)
  if [[ $rc -eq 0 ]] && grep -q 'ktest update_stress: PASS' "$log" && ! grep -q PANIC "$log"; then
    echo "ok   $n cpus, ${secs} s host: ${line#stress: }"
  else
    echo "FAIL $n cpus (exit $rc, ${secs} s host): ${line#stress: }"
    grep -E 'CHECK FAILED|FAIL|PANIC' "$log" | head -20
    status=1
  fi
  rm -f "$log"
done
exit $status
