#!/usr/bin/env bash
# The closing note's measurements, rerunnable:
#   tests/update/measure.sh [BUILD_DIR]
# null swap of one object on 1/4/16/64 CPUs, idle and while every CPU calls
# the swapped objects (with the calls blocked and the longest blocked-call
# window); factory update of 10/100/1000 FCM instances created on every CPU,
# under a map/unmap load that keeps opening files, at 4 and 16 CPUs (same
# figures); the cost of a call through the translation table vs a direct
# virtual call. All in simulated cycles (power5 configs: 1650 MHz).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
dusim="$build/tools/dusim"
kernel="$build/guest/tests/guest/test_kernel.elf"
for n in 1 4 16 64; do
  "$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" --arg test=update_measure --arg quiet=1 \
    --max-ms 20000 2>&1 | grep '^measure:' || true
done
for n in 4 16; do
  for i in 10 100 1000; do
    "$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" --arg test=update_measure \
      --arg swaps=1 --arg instances=$i --arg quiet=1 --max-ms 20000 2>&1 | grep '^measure: factory' || true
  done
done
