#!/usr/bin/env bash
# Benchmark (prints figures; not a test): how much the shipped scenarios'
# headline figures owe to the temporal-decoupling quantum. Each scenario runs
# with `dusim converge --quanta 1,1000 --seeds N` under the default sync
# policy (ordered) and again under the old one (machine.sync_policy=quantum);
# the table gives each figure's mean over the seeds at quantum 1 (ordered:
# the reference), at quantum 1000 with each policy, and the relative error
# against the reference (in brackets when it is within the spread over seeds,
# i.e. the reference's mean lies between the setting's min and max), then the
# host CPU seconds of one run.
#   tools/bench/converge-table.sh [--readme] [SEEDS]   (default 4 seeds)
# --readme writes the table into sim/platform/README.md between its markers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
readme=""
if [[ ${1:-} == --readme ]]; then readme=1; shift; fi
seeds=${1:-4}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for s in allocator-race-fix fcm-unmap-optimisation partitioned-region process-replication; do
  "$dusim" converge "$root/scenarios/$s.yaml" --quanta 1,1000 --seeds "$seeds" --out "$dir/$s.ordered" > "$dir/$s.ordered.log" 2>&1
  "$dusim" converge "$root/scenarios/$s.yaml" --quanta 1,1000 --seeds "$seeds" --set machine.sync_policy=quantum \
    --out "$dir/$s.quantum" > "$dir/$s.quantum.log" 2>&1
done

table=$(python3 - "$dir" "$seeds" <<'PY'
import csv, os, sys
d, seeds = sys.argv[1], sys.argv[2]
rows = [
    ("allocator-race-fix", "allocator: alloc p50 before (ns)", "metrics.alloc_p50_ns_before"),
    ("allocator-race-fix", "allocator: c2c per µs, before", "coherence.before.c2c_per_us"),
    ("allocator-race-fix", "allocator: double allocations before", "metrics.corruptions_before"),
    ("allocator-race-fix", "allocator: update latency (µs)", "updates.allocator-fix.latency_ns"),
    ("allocator-race-fix", "allocator: longest blocked call (µs)", "updates.allocator-fix.blocked_max_ns"),
    ("fcm-unmap-optimisation", "fcm: unmap p50 before (ns)", "metrics.unmap_p50_ns_before"),
    ("fcm-unmap-optimisation", "fcm: IPIs per unmap, after", "metrics.ipis_per_unmap_after"),
    ("fcm-unmap-optimisation", "fcm: update latency (µs)", "updates.fcm-v1.latency_ns"),
    ("partitioned-region", "region: creation p50 before (ns)", "metrics.region_create_ns_before"),
    ("partitioned-region", "region: update latency (µs)", "updates.partitioned-region.latency_ns"),
    ("process-replication", "process: burst p50 before (ns)", "metrics.threads_ns_before"),
    ("process-replication", "process: update latency (µs)", "updates.replicate-processes.latency_ns"),
    ("process-replication", "process: longest blocked call (µs)", "updates.replicate-processes.blocked_max_ns"),
]
def load(path):
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            out[(r["quantity"], r["quantum_cycles"])] = r
    return out
data = {}
for s in {r[0] for r in rows}:
    data[s] = (load(os.path.join(d, s + ".ordered", "converge.csv")), load(os.path.join(d, s + ".quantum", "converge.csv")))
def fmt(v, key):
    if key.endswith("latency_ns") or key.endswith("blocked_max_ns"):
        v /= 1000.0
    return f"{v:,.0f}" if abs(v) >= 100 else (f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.3g}")
def cell(r, ref, key):
    m = float(r["mean"])
    err = (m - ref) / ref * 100 if ref else 0.0
    within = float(r["min"]) <= ref <= float(r["max"])
    e = f"{err:+.1f} %"
    return f"{fmt(m, key)} ({e})" if not within else f"{fmt(m, key)} [{e}]"
print(f"| scenario: figure (mean of {seeds} seeds) | quantum 1 | 1000, `ordered` | 1000, `quantum` |")
print("|---|---:|---:|---:|")
for s, label, key in rows:
    o, q = data[s]
    ref = float(o[(key, "1")]["mean"])
    print(f"| {label} | {fmt(ref, key)} | {cell(o[(key, '1000')], ref, key)} | {cell(q[(key, '1000')], ref, key)} |")
import json
def host(s, t, qq):
    j = json.load(open(os.path.join(d, s + "." + t, "converge.json")))
    return float(j["host_seconds"][qq])
hs = [(host(s, "ordered", "1"), host(s, "ordered", "1000"), host(s, "quantum", "1000"))
      for s in ("allocator-race-fix", "fcm-unmap-optimisation")]
print("| host wall seconds per run (allocator / fcm) | "
      + " | ".join(f"{hs[0][k]:.2f} / {hs[1][k]:.2f}" for k in range(3)) + " |")
PY
)
echo "$table"
if [[ -n $readme ]]; then
  python3 - "$root/sim/platform/README.md" "$table" "$seeds" <<'PY'
import sys
path, table, seeds = sys.argv[1:]
begin = "<!-- converge-table.sh: begin (written by tools/bench/converge-table.sh --readme; do not edit) -->"
end = "<!-- converge-table.sh: end -->"
s = open(path).read()
a, b = s.index(begin), s.index(end)
s = s[:a + len(begin)] + "\n" + table + "\n" + s[b:]
open(path, "w").write(s)
print(f"wrote the table into {path}")
PY
fi
