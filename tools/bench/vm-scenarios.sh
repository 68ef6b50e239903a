#!/usr/bin/env bash
# Benchmark (prints figures; not a test): the FCM and region scenarios with
# translation on (guest_args.mmu=on, mmu.trace_events=true) per CPU count:
#  - fcm-unmap-optimisation, invalidation by tlbie and by IPI + tlbiel:
#    unmap p50 before -> after (ns), IPIs and tlbies per unmap, TLB walks
#    per CPU per ms and their mean cost (cycles) before the update;
#  - partitioned-region (6 ms): page-fault latency p50/p99 (cycles) before
#    -> after, and the walks per CPU per ms before; the share of the CPUs'
#    time spent waiting for the snooping bus after the update, and the
#    after figures again with a bus that never makes an access wait
#    (caches.bus_data_occupancy=0, bus_address_occupancy=0): at 16 CPUs and
#    more the one bus saturates, and that is what the faults then measure.
# Simulated figures, seed 1, default quantum and sync policy.
#   tools/bench/vm-scenarios.sh [CPUS...]   (default 1 2 4 8 16 32 64)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
cpus=("$@")
((${#cpus[@]})) || cpus=(1 2 4 8 16 32 64)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

run() {  # run NAME CPUS OUT SETS... -> report.json in OUT (a failed check still writes it)
  local name=$1 n=$2 out=$3
  shift 3
  "$dusim" run "$root/scenarios/$name.yaml" --cpus "$n" -q --out "$out" --set guest_args.mmu=on \
    --set mmu.trace_events=true "$@" > "$out.log" 2>&1 || true
}

summary() {  # summary KIND REPORT -> one table row's cells
  python3 - "$@" <<'PY'
import json, os, sys
kind, path = sys.argv[1:]
if not os.path.exists(path):
    print("| (no report) " * (4 if kind == "fcm" else 4) + "|")
    sys.exit()
r = json.load(open(path))
f = lambda v, spec="%d": "-" if v is None else spec % v
vm, m, cpus = r.get("vm"), r["metrics"], r["machine"]["cpus"]
if not vm or "after" not in vm:
    print("| (no update) " * (4 if kind == "fcm" else 4) + "|")
    sys.exit()
b = vm["before"]
ms = (b["end_ns"] - b["start_ns"]) / 1e6
t = b["tlb"]
walks = "%.0f / %s" % (t["walks"] / cpus / ms, f(t["walk_cycles_mean"], "%.1f"))
if kind == "fcm":
    per = lambda w, k: vm[w][k] / max(1, vm[w]["hpte_removes"])
    print("| %s -> %s | %.2f -> %.2f | %.2f -> %.2f | %s |" % (
        f(m["unmap_p50_ns_before"]), f(m["unmap_p50_ns_after"]), per("before", "shootdown_ipis"), per("after", "shootdown_ipis"),
        vm["before"]["tlb"]["tlbies"] / max(1, vm["before"]["hpte_removes"]),
        vm["after"]["tlb"]["tlbies"] / max(1, vm["after"]["hpte_removes"]), walks))
else:
    pb, pa = b["page_faults"], vm["after"]["page_faults"]
    ca = r["coherence"]["after"]
    cycles = (ca["end_ns"] - ca["start_ns"]) * r["machine"]["clock_hz"] / 1e9 * cpus
    share = "-" if cycles <= 0 else "%.1f %%" % (100.0 * ca["total"].get("bus_wait_cycles", 0) / cycles)
    print("| %s / %s -> %s / %s | %s -> %s | %s | %s |" % (
        pb["latency_p50_cycles"], pb["latency_p99_cycles"], pa["latency_p50_cycles"], pa["latency_p99_cycles"],
        pb["count"], pa["count"], walks, share))
PY
}

echo "fcm-unmap-optimisation, mmu=on (unmap p50 ns; per unmap; TLB walks per CPU per ms / mean cycles, before)"
echo "| CPUs | tlbi | unmap p50 ns | IPIs per unmap | tlbies per unmap | walks/CPU/ms / cycles |"
echo "|---:|---|---|---|---|---|"
for n in "${cpus[@]}"; do
  for t in tlbie ipi; do
    run fcm-unmap-optimisation "$n" "$dir/fcm-$n-$t" --set guest_args.tlbi=$t
    echo "| $n | $t $(summary fcm "$dir/fcm-$n-$t/report.json")"
  done
done
echo
echo "partitioned-region, mmu=on, 6 ms (fault latency cycles p50 / p99; faults; TLB walks before)"
echo "| CPUs | bus | fault p50 / p99 before -> after | faults before -> after | walks/CPU/ms / cycles | bus wait after |"
echo "|---:|---|---|---|---|---|"
for n in "${cpus[@]}"; do
  run partitioned-region "$n" "$dir/region-$n" --set duration_ms=6
  echo "| $n | modelled $(summary region "$dir/region-$n/report.json")"
  run partitioned-region "$n" "$dir/region-free-$n" --set duration_ms=6 --set caches.bus_data_occupancy=0 \
    --set caches.bus_address_occupancy=0
  echo "| $n | never waits $(summary region "$dir/region-free-$n/report.json")"
done
