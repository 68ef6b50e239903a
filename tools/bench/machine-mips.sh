#!/usr/bin/env bash
# Benchmark (prints figures; not a test): simulated MIPS of the multi-CPU
# machine, aggregate over all CPUs, for 1, 4 and 16 CPUs and quanta of 100,
# 1 000 and 10 000 cycles, with the cache model on and off. The workload is
# tests/bare/compute.c (integer mixing, L1-resident private data, an atomic
# on one shared line every 256 iterations); the last column runs it with
# translation on (--arg mmu=1: an identity map through the SLB, the TLB and
# the hashed page table), caches on.
#   [REPEAT=3] tools/bench/machine-mips.sh [ITERATIONS_PER_CPU]   (default 400000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
image="${DUSIM_BUILD_DIR:-$root/build}/guest/tests/bare/compute.elf"
iters=${1:-400000}
repeat=${REPEAT:-3}  # runs per cell; the best is shown (host noise only slows a run down)

mips() {  # mips CPUS QUANTUM CACHES [MMU] -> aggregate MIPS, the best of $repeat runs
  local best=0 m
  for ((r = 0; r < repeat; ++r)); do
    m=$("$dusim" run-bare "$image" --config "$root/configs/power5.yaml" --cpus "$1" \
      --set machine.quantum_cycles="$2" --set caches.enabled="$3" --arg iters="$iters" --arg mmu="${4:-0}" --stats 2>&1 |
      sed -n 's/.*, \([0-9.]*\) MIPS$/\1/p')
    best=$(awk -v a="$best" -v b="$m" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$best"
}

printf '%-6s %-10s %14s %14s %20s\n' cpus quantum "caches on" "caches off" "caches on, mmu=1"
for cpus in 1 4 16; do
  for q in 100 1000 10000; do
    printf '%-6s %-10s %14s %14s %20s\n' "$cpus" "$q" "$(mips "$cpus" "$q" true)" "$(mips "$cpus" "$q" false)" \
      "$(mips "$cpus" "$q" true 1)"
  done
done
echo "(aggregate simulated MIPS = instructions of all CPUs / host seconds, best of $repeat runs; $iters iterations per CPU)"
