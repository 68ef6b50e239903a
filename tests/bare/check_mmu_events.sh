#!/usr/bin/env bash
# The MMU's machine events (mmu.trace_events) agree with its counters: one
# TLBIE_ISSUED per tlbie a CPU broadcast, one TLBIE_RECEIVED per CPU per
# tlbie, one TLB_MISS per walk sequence (walks less restarts), per CPU; and
# with the parameter off (the default) none is recorded.
#   check_mmu_events.sh DUSIM run-bare IMAGE ARGS...
set -uo pipefail
dusim=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" "$@" --set mmu.trace_events=true --events "$dir/on.jsonl" --stats-json "$dir/on.json" > "$dir/on.out" 2>&1 ||
  { echo "the run with mmu.trace_events=true failed"; cat "$dir/on.out"; exit 1; }
"$dusim" "$@" --events "$dir/off.jsonl" > "$dir/off.out" 2>&1 || { echo "the run without failed"; cat "$dir/off.out"; exit 1; }
python3 - "$dir" <<'PY'
import collections, json, sys
d = sys.argv[1]
def counts(path):
    c = collections.Counter()
    for line in open(path):
        e = json.loads(line)
        if e["event"] in ("TLBIE_ISSUED", "TLBIE_RECEIVED", "TLB_MISS"):
            c[(e["event"], e["cpu"])] += 1
    return c
on, off = counts(d + "/on.jsonl"), counts(d + "/off.jsonl")
if off:
    sys.exit("events recorded with mmu.trace_events off: %s" % dict(off))
cpus = json.load(open(d + "/on.json"))["cpus"]
issued = sum(c["tlbie_issued"] for c in cpus)
bad = []
for n, c in enumerate(cpus):
    want = {"TLBIE_ISSUED": c["tlbie_issued"], "TLBIE_RECEIVED": issued, "TLB_MISS": c["tlb_walks"] - c["tlb_walk_restarts"]}
    for ev, w in want.items():
        if on[(ev, n)] != w:
            bad.append("cpu %d %s: %d events, counters say %d" % (n, ev, on[(ev, n)], w))
if bad:
    sys.exit("\n".join(bad))
if not issued or not sum(v for (ev, _), v in on.items() if ev == "TLB_MISS"):
    sys.exit("the run made no tlbie or no walk: nothing was checked")
print("ok: %d tlbies, %d arrivals, %d walks, as the counters say" % (
    issued, sum(v for (ev, _), v in on.items() if ev == "TLBIE_RECEIVED"),
    sum(v for (ev, _), v in on.items() if ev == "TLB_MISS")))
PY
