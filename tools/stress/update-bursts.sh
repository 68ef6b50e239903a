#!/usr/bin/env bash
# Soak: a scenario with many updates in bursts, on the real guest kernel (the
# allocator fix of scenarios/allocator-race-fix, delivered again and again):
#   update-bursts.sh [BURSTS] [PER_BURST] [GAP_US]
# BURSTS bursts (default 5) of PER_BURST updates (default 10) each, the
# updates of a burst GAP_US apart (default 0: all at the same time; the
# bursts 0.5 ms apart). Checks, from report.json, that every update was
# received and ended (applied, aborted or rejected: none left not_received,
# received or loaded), each under its own name, and prints the counts.
# Exit 0 when all ended; 1 otherwise. DUSIM: the tool to run (default ./dusim).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bursts=${1:-5} per=${2:-10} gap=${3:-0}
dir=$(mktemp -d /tmp/dusim-bursts-XXXXXX)
trap 'rm -rf "$dir"' EXIT
scn=$dir/bursts.yaml
{
  echo "name: update-bursts"
  echo "machine: {config: power5-4cpu.yaml}"
  echo "seed: 7"
  # The guest applies one update at a time (each about 0.5 ms under load):
  # the run lasts until every one can have ended.
  echo "duration_ms: $(python3 -c "print(1.5 + 0.5 * $bursts + 1.0 * $bursts * $per)")"
  echo "workloads: [{kind: page_alloc, cpus: all, params: {hold: 4}}]"
  echo "updates:"
  for ((b = 0; b < bursts; b++)); do
    for ((k = 0; k < per; k++)); do
      at=$(python3 -c "print(1 + 0.5 * $b + $k * $gap / 1000.0)")
      echo "  - {name: b${b}u${k}, at_ms: $at, module: $root/scenarios/allocator-race-fix/fix.cc, cpu: $((k % 4))}"
    done
  done
  echo "outputs: [report.json]"
} > "$scn"
start=$(date +%s.%N)
set +e
"${DUSIM:-$root/dusim}" -q run "$scn" --out "$dir/out"
rc=$?
set -e
secs=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
python3 - "$dir/out/report.json" "$rc" "$secs" "$((bursts * per))" <<'PY'
import collections, json, sys
path, rc, secs, want = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
try:
    r = json.load(open(path))
except (OSError, ValueError) as e:
    print(f"update bursts: no report ({e}); dusim exited {rc}")
    sys.exit(1)
ups = r["updates"]
status = collections.Counter(u["status"] for u in ups)
names = [u["name"] for u in ups]
ended = sum(status[s] for s in ("applied", "aborted", "rejected"))
print(f"update bursts: {len(ups)} updates ({want} sent), " + ", ".join(f"{k} {v}" for k, v in sorted(status.items())) +
      f"; {ended} ended; dusim exit {rc}; {secs} s")
bad = len(ups) != want or ended != want or len(set(names)) != len(names)
for u in ups:
    if u["status"] not in ("applied", "aborted", "rejected"):
        print(f"  {u['name']}: {u['status']} (requested at {u['requested_ns']} ns)")
sys.exit(1 if bad else 0)
PY
