#!/usr/bin/env bash
# Measures the guest kernel: boot time (simulated and host) on 4 and 64 CPUs,
# and the latency of a generation advance on an idle machine versus the CPU
# count. Prints two tables; anyone can rerun it.
#
#   tests/guest/measure.sh [BUILD_DIR]        (default: build)
#   ROUNDS=50 QUANTUM=1000 tests/guest/measure.sh build
#
# Boot time (simulated) is CPU 0's cycle count when every CPU has finished
# booting (the BOOT_DONE event); host time is the wall time of the whole run
# (boot, the trivial `boot` test, power-off). Advance latency is measured by
# the guest (test gen_latency), for both protocols (broadcast, the default,
# and K42's circulating token: guest_os/include/kernel/generation.h): from the begin of an advance on the CPU that
# starts it to its completion on the CPU that drains last, averaged over
# ROUNDS advances with no other threads running ("protocol"); "observed" is
# from mark() to the return of the waiting thread, on one CPU's clock.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
dusim=${DUSIM:-$build/tools/dusim}
kernel=${KERNEL:-$build/guest/tests/guest/test_kernel.elf}
rounds=${ROUNDS:-20}
quantum=${QUANTUM:-1000}
[[ -x $dusim ]] || { echo "no dusim at $dusim (build it, or set DUSIM)" >&2; exit 1; }
[[ -f $kernel ]] || { echo "no kernel at $kernel (build the guest, or set KERNEL)" >&2; exit 1; }

run() {  # run CPUS ARGS... -> output; sets $host_s
  local n=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  out=$("$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" \
        --set machine.quantum_cycles="$quantum" "$@" 2>&1) || { echo "$out" >&2; exit 1; }
  t1=$(date +%s%N)
  host_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
}

echo "Boot time (quantum $quantum cycles)"
printf "%6s %16s %14s %10s\n" cpus sim_cycles sim_us host_s
for n in 4 64; do
  run "$n" --arg test=boot
  line=$(grep -E '^boot: [0-9]+ CPUs up at' <<<"$out")
  cyc=$(sed -E 's/.* up at ([0-9]+) cycles.*/\1/' <<<"$line")
  us=$(sed -E 's/.*\(([0-9]+) us simulated\).*/\1/' <<<"$line")
  printf "%6s %16s %14s %10s\n" "$n" "$cyc" "$us" "$host_s"
done

for protocol in broadcast token; do
  echo
  echo "Generation advance latency, $protocol protocol, idle machine ($rounds advances each, quantum $quantum cycles)"
  printf "%6s | %12s %10s %10s %8s | %12s %10s %10s %8s | %7s\n" "" protocol: "" "" "" observed: "" "" "" ""
  printf "%6s | %12s %10s %10s %8s | %12s %10s %10s %8s | %7s\n" cpus mean_cycles min max mean_us mean_cycles min max mean_us host_s
  for n in 1 2 4 8 16 32 64; do
    run "$n" --arg test=gen_latency --arg rounds="$rounds" --arg quiet=1 --arg gen_protocol="$protocol"
    line=$(grep -E '^gen_latency:' <<<"$out")
    get() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$line"; }
    printf "%6s | %12s %10s %10s %8s | %12s %10s %10s %8s | %7s\n" "$n" \
      "$(get mean_cycles)" "$(get min_cycles)" "$(get max_cycles)" "$(get mean_us)" \
      "$(get observed_mean_cycles)" "$(get observed_min_cycles)" "$(get observed_max_cycles)" "$(get observed_mean_us)" \
      "$host_s"
  done
done
