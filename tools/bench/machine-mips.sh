#!/usr/bin/env bash
# Benchmark (prints figures; not a test): simulated MIPS of the multi-CPU
# machine, aggregate over all CPUs, for 1, 4 and 16 CPUs and quanta of 100,
# 1 000 and 10 000 cycles, with the cache model on and off. The workload is
# tests/bare/compute.c (integer mixing, L1-resident private data, an atomic
# on one shared line every 256 iterations).
#   tools/bench/machine-mips.sh [ITERATIONS_PER_CPU]   (default 400000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
image="${DUSIM_BUILD_DIR:-$root/build}/guest/tests/bare/compute.elf"
iters=${1:-400000}

mips() {  # mips CPUS QUANTUM CACHES -> aggregate MIPS
  "$dusim" run-bare "$image" --config "$root/configs/power5.yaml" --cpus "$1" \
    --set machine.quantum_cycles="$2" --set caches.enabled="$3" --arg iters="$iters" --stats 2>&1 |
    sed -n 's/.*, \([0-9.]*\) MIPS$/\1/p'
}

printf '%-6s %-10s %14s %14s\n' cpus quantum "caches on" "caches off"
for cpus in 1 4 16; do
  for q in 100 1000 10000; do
    printf '%-6s %-10s %14s %14s\n' "$cpus" "$q" "$(mips "$cpus" "$q" true)" "$(mips "$cpus" "$q" false)"
  done
done
echo "(aggregate simulated MIPS = instructions of all CPUs / host seconds; $iters iterations per CPU)"
