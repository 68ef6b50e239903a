#!/usr/bin/env bash
# IPIs are taken when they arrive, whatever the quantum: ipi.elf's mean
# round trip at quantum Q is within PCT % of lockstep's (quantum 1), and no
# CPU took an external interrupt more than LAG cycles after it arrived.
#   check_ipi_latency.sh PCT LAG Q COMMAND...   (COMMAND runs ipi.elf; the
#   script adds --set machine.quantum_cycles=... and --stats-json)
set -uo pipefail
pct=$1 lag=$2 q=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mean() { "$@" 2>&1 | sed -n 's/.*ipi round trip: .*mean \([0-9][0-9]*\).*/\1/p'; }
ref=$(mean "$@" --set machine.quantum_cycles=1)
got=$(mean "$@" --set machine.quantum_cycles="$q" --stats-json "$tmp/stats.json")
[[ -n "$ref" && -n "$got" ]] || { echo "no 'ipi round trip' line (lockstep '$ref', quantum $q '$got')"; exit 1; }
echo "mean IPI round trip: $ref cycles at quantum 1, $got at quantum $q (bound $pct %)"
worst=$(python3 -c '
import json, sys
cpus = json.load(open(sys.argv[1]))["cpus"]
taken = sum(c["external_interrupts"] for c in cpus)
print(max(c["external_lag_max"] for c in cpus) if taken else -1)' "$tmp/stats.json")
((worst >= 0)) || { echo "FAIL: no CPU took an external interrupt"; exit 1; }
echo "longest delivery lag at quantum $q: $worst cycles (bound $lag)"
((worst <= lag)) || { echo "FAIL: an interrupt waited $worst cycles after it arrived"; exit 1; }
diff=$((got > ref ? got - ref : ref - got))
((diff * 100 <= pct * ref)) || { echo "FAIL: off by $diff cycles, more than $pct % of $ref"; exit 1; }
echo "ok: off by $diff cycles"
