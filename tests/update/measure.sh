#!/usr/bin/env bash
# The closing note's measurements, rerunnable:
#   tests/update/measure.sh [BUILD_DIR]
# null swap of one object on 1/4/16/64 CPUs, factory update of 10/100/1000
# FCM instances at 4 and 16 CPUs, and the cost of a call through the
# translation table vs a direct virtual call (cycles, simulated).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
dusim="$build/tools/dusim"
kernel="$build/guest/guest_os/kernel.elf"
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
