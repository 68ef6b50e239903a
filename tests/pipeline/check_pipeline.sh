#!/usr/bin/env bash
# End-to-end test of the scenario machinery on the bare-metal stand-in.
#   check_pipeline.sh DUSIM SCENARIO KERNEL_IMAGE
# Runs the scenario twice; requires exit code 0, the report's key facts,
# trace.json and report.html, and byte-identical reports apart from "host".
# A third run samples traffic every 1000 us, longer than the whole run: the
# coherence windows are sampled exactly at their ends, so they (and the rest
# of the report) must not change. (That sampling does not perturb the
# simulation is checked on the seed's scenarios, which are more sensitive.)
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dusim" run "$scenario" --set kernel="$kernel" --out "$dir/a" || fail "run exited $?"
"$dusim" run "$scenario" --set kernel="$kernel" --out "$dir/b" --no-summary > /dev/null || fail "second run exited $?"
"$dusim" run "$scenario" --set kernel="$kernel" --set sample_us=1000 --out "$dir/s" --no-summary > /dev/null ||
  fail "run with sample_us=1000 exited $?"
for f in report.json trace.json report.html; do [[ -s "$dir/a/$f" ]] || fail "$f missing"; done
python3 - "$dir/a/report.json" "$dir/b/report.json" "$dir/a/trace.json" "$dir/s/report.json" <<'PY' || exit 1
import json, sys
a, b, t, s = (json.load(open(p)) for p in sys.argv[1:5])
def need(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
for k in ["scenario", "seed", "machine", "updates", "coherence", "objects", "metrics", "checks", "host"]:
    need(k in a, "report.json has no key " + k)
u = a["updates"][0]
need(u["status"] == "applied", "update status " + u["status"])
for k in ["requested_ns", "completed_ns", "latency_ns", "phases", "blocked_calls"]:
    need(k in u, "update has no " + k)
need(u["requested_ns"] == 200000, "requested_ns %d" % u["requested_ns"])
need(0 < u["latency_ns"] < 100000, "latency_ns %s" % u["latency_ns"])
need(any(p["name"] == "LOAD" for p in u["phases"]), "no LOAD phase")
need(set(u["blocked_calls"]) >= {"count", "max_ns", "p50_ns", "p99_ns"}, "blocked_calls keys")
for w in ["before", "during", "after"]:
    need(len(a["coherence"][w]["per_cpu"]) == 4, "coherence %s per_cpu" % w)
    need(set(a["coherence"][w]["total"]) >= {"misses", "invalidations", "c2c_transfers", "bus_transactions"}, "window keys")
need(a["coherence"]["before"]["total"]["c2c_transfers"] > 0, "no c2c traffic before")
need(a["objects"] and a["objects"][0]["name"] == "pipeline.lock", "objects")
need(a["metrics"]["calls_before"] > 100 and a["metrics"]["calls_after"] > 100, "metrics")
need(all(c["passed"] for c in a["checks"]), "a check failed")
need(set(a["host"]) == {"wall_seconds", "cpu_seconds", "mips"}, "host keys")
a.pop("host"); b.pop("host"); s.pop("host")
need(json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), "two runs gave different reports")
need(a["coherence"]["during"]["total"]["misses"] > 0, "no traffic in the update window")
need(json.dumps(a, sort_keys=True) == json.dumps(s, sort_keys=True),
     "sampling every 1000 us instead of 5 us changed the report: " +
     ", ".join(k for k in a if a[k] != s[k]))
ev = t["traceEvents"]
need(any(e.get("ph") == "X" and e.get("name") == "LOAD" for e in ev), "trace has no LOAD slice")
need(any(e.get("ph") == "C" for e in ev), "trace has no counters")
need(sum(1 for e in ev if e.get("ph") == "M" and e.get("name") == "thread_name") == 4, "trace has not 4 CPU tracks")
print("ok: report keys, update facts, coherence windows, metrics, determinism, sampling-independence, trace")
PY
# A failing check makes the run exit 123.
"$dusim" run "$scenario" --set kernel="$kernel" --out "$dir/c" --set updates.0.at_ms=0.39 --no-summary > "$dir/c.log" 2>&1
rc=$?
[[ $rc -eq 123 ]] || { cat "$dir/c.log"; fail "a failing check exited $rc, expected 123"; }
grep -q '"passed": false' "$dir/c/report.json" || fail "no failed check recorded"
echo "ok: failing check gives exit code 123"
