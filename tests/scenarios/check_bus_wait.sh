#!/usr/bin/env bash
# The coherence windows' bus_wait_cycles are the cycles accesses stalled for
# the snooping bus: partitioned-region translated on 16 CPUs, whose faults
# after the update load the one bus, spends a large share of its CPUs' time
# waiting (more than 10 %, about 27 %: the summary's "bus wait" column);
# the same run with a bus that never makes an access wait
# (caches.bus_*_occupancy=0) has none in any window, and serves more faults.
#   check_bus_wait.sh DUSIM SCENARIO.yaml
set -uo pipefail
dusim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
common=(--cpus 16 -q --set guest_args.mmu=on --set mmu.trace_events=true --set duration_ms=4)
"$dusim" run "$scenario" "${common[@]}" --out "$dir/bus" > /dev/null 2>&1
"$dusim" run "$scenario" "${common[@]}" --out "$dir/free" --set caches.bus_data_occupancy=0 \
  --set caches.bus_address_occupancy=0 > /dev/null 2>&1
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
for k in ("bus", "free"):
    if not os.path.exists("%s/%s/report.json" % (d, k)):
        print("FAIL: no report for the %s run" % k); sys.exit(1)
bus, free = (json.load(open("%s/%s/report.json" % (d, k))) for k in ("bus", "free"))
def share(r, w):
    c = r["coherence"][w]
    cycles = (c["end_ns"] - c["start_ns"]) * r["machine"]["clock_hz"] / 1e9 * r["machine"]["cpus"]
    return 100.0 * c["total"]["bus_wait_cycles"] / cycles if cycles else 0.0
per_cpu = sum(c["bus_wait_cycles"] for c in bus["coherence"]["after"]["per_cpu"])
if per_cpu != bus["coherence"]["after"]["total"]["bus_wait_cycles"]:
    print("FAIL: the CPUs' bus waits add to %d, the total says %d" % (per_cpu, bus["coherence"]["after"]["total"]["bus_wait_cycles"])); sys.exit(1)
s = share(bus, "after")
if s <= 10:
    print("FAIL: 16 CPUs faulting after the update waited for the bus %.1f %% of their time (expected > 10 %%)" % s); sys.exit(1)
waits = [free["coherence"][w]["total"]["bus_wait_cycles"] for w in ("before", "during", "after")]
if any(waits):
    print("FAIL: with zero bus occupancy the windows still waited %s cycles" % waits); sys.exit(1)
fb, ff = bus["vm"]["after"]["page_faults"]["count"], free["vm"]["after"]["page_faults"]["count"]
if ff <= fb:
    print("FAIL: the free bus served %d faults after the update, the modelled one %d" % (ff, fb)); sys.exit(1)
print("ok: bus wait after the update %.1f %% of the CPUs' time (none with a free bus); faults after %d, %d with a free bus"
      % (s, fb, ff))
PY
