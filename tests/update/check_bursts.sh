#!/usr/bin/env bash
# Updates that arrive together, on the real kernel `dusim run` boots: each
# must be taken from the mailbox, run (one at a time, in arrival order) and
# credited to its own update.
#   check_bursts.sh DUSIM CASE
# CASE same: a module whose init fails (modules/init_fails_module.cc), then
#   the allocator fix (scenarios/allocator-race-fix/fix.cc), at the same
#   at_ms: the first must be aborted, the second applied (one object
#   swapped).
# CASE 1us: the same two, 1 us apart.
# CASE fifty: 50 modules 10 us apart, alternately applied
#   (modules/noop_module.cc) and aborted (init_fails).
# For every case: each update's status is the one it expects (run exits 0),
# the event log has exactly one MODULE_RECEIVED and one terminal event per
# update, and the console says "module N: init returned R" once for each N.
set -uo pipefail
dusim=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
fails=$here/modules/init_fails_module.cc noop=$here/modules/noop_module.cc fix=$root/scenarios/allocator-race-fix/fix.cc
{
  echo "name: burst-$case"
  echo "machine: {config: $root/configs/power5-4cpu.yaml}"
  echo "seed: 1"
  echo "workloads: [{kind: page_alloc, cpus: all, params: {hold: 4, alloc_sample: 8}}]"
  if [[ $case == fifty ]]; then echo "duration_ms: 4"; else echo "duration_ms: 4.5"; fi
  echo "updates:"
  case $case in
    same) echo "  - {name: fails, at_ms: 3, module: $fails, expect: aborted}"
          echo "  - {name: fix, at_ms: 3, module: $fix, expect: applied}" ;;
    1us) echo "  - {name: fails, at_ms: 3, module: $fails, expect: aborted}"
         echo "  - {name: fix, at_us: 3001, module: $fix, expect: applied}" ;;
    fifty) for ((k = 0; k < 50; ++k)); do
             if ((k % 2)); then m=$fails e=aborted; else m=$noop e=applied; fi
             echo "  - {name: u$k, at_us: $((2500 + 10 * k)), module: $m, expect: $e}"
           done ;;
    *) fail "unknown case $case" ;;
  esac
  if [[ $case != fifty ]]; then
    echo "checks: [{name: the fix swapped the allocator, expect: 'updates[fix].objects_swapped == 1'}]"
  fi
} > "$dir/burst.yaml"
"$dusim" run "$dir/burst.yaml" --out "$dir/out" --events "$dir/events.jsonl" > "$dir/console.txt" 2>&1
rc=$?
[[ $rc -eq 0 ]] || { cat "$dir/console.txt"; fail "dusim run exited $rc (a check failed: see above)"; }
python3 - "$dir/out/report.json" "$dir/events.jsonl" "$dir/console.txt" <<'PY' || exit 1
import collections, json, re, sys
report = json.load(open(sys.argv[1]))
events = [json.loads(l) for l in open(sys.argv[2])]
console = open(sys.argv[3]).read()
ups = report["updates"]
def need(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
for u in ups:
    need(u["status"] == u["expected"], "update %s: %s, expected %s" % (u["name"], u["status"], u["expected"]))
received = collections.Counter(e["args"]["update_seq"] for e in events if e["event"] == "MODULE_RECEIVED")
ended = collections.Counter(e["args"]["update_seq"] for e in events if e["event"] in ("UPDATE_APPLIED", "UPDATE_ABORTED"))
want = collections.Counter(range(1, len(ups) + 1))
need(received == want, "MODULE_RECEIVED per update: %s" % dict(received))
need(ended == want, "terminal events per update: %s" % dict(ended))
said = collections.Counter(int(n) for n in re.findall(r"module (\d+): init returned", console))
need(said == want, "console 'module N: init returned' per N: %s" % dict(said))
print("ok: %d updates, each received once, ended once and credited to itself" % len(ups))
PY
