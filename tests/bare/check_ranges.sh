#!/usr/bin/env bash
# Statistics per registered range (tests/bare/ranges.c): the code range
# counted instructions and cycles on CPU 0 only, the data range had misses.
#   check_ranges.sh COMMAND...
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$@" --stats-json "$dir/s.json" || { echo "FAIL: run exited $?"; exit 1; }
python3 - "$dir/s.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
code = {r["name"]: r for r in s["pc_ranges"]}
hot = code.get("code.hot_loop")
assert hot, "no code range in pc_ranges: %s" % s["pc_ranges"]
i0, c0 = hot["instructions"][0], hot["cycles"][0]
assert i0 >= 20000 * 5, "hot_loop instructions %d" % i0
assert c0 >= i0, "cycles %d < instructions %d" % (c0, i0)
assert all(v == 0 for v in hot["instructions"][1:]), "other CPUs ran hot_loop?"
total = s["cpus"][0]["instructions"]
assert i0 < total, "range count %d not below the CPU's total %d" % (i0, total)
data = [r for r in s["memory"]["ranges"]] if isinstance(s["memory"].get("ranges"), list) else []
print("ok: code.hot_loop: %d instructions, %d cycles on cpu 0 (cpu total %d)" % (i0, c0, total))
stall = {r["name"]: r for r in s["ranges"]}
assert "data.table" in stall, "data range missing from ranges"
print("ok: data.table stall cycles per CPU:", stall["data.table"]["stall_cycles"])
PY
