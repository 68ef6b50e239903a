#!/usr/bin/env bash
# Statistics per registered range (tests/bare/ranges.c): the code range
# counted instructions and cycles on CPU 0 only; the data range counted CPU
# 0's cold misses, one per line of the table, and its stall cycles, and
# nothing on the other CPU. Every assertion is in the script below.
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
print("ok: code.hot_loop: %d instructions, %d cycles on cpu 0 (cpu total %d)" % (i0, c0, total))
line = s["memory"]["line_size"]
data = {r["name"]: r for r in s["memory"]["ranges"]}.get("data.table")
assert data, "no data range in memory.ranges: %s" % [r["name"] for r in s["memory"]["ranges"]]
l1d = data["caches"]["cpu0.l1d"]
lines = data["size"] // line
assert l1d["misses_cold"] == lines, "data.table: %d cold misses, the table has %d lines" % (l1d["misses_cold"], lines)
assert l1d["accesses"] >= l1d["misses"] >= lines, "data.table: %d accesses, %d misses" % (l1d["accesses"], l1d["misses"])
assert data["caches"]["cpu1.l1d"]["accesses"] == 0, "cpu 1 touched data.table"
stall = {r["name"]: r for r in s["ranges"]}.get("data.table")
assert stall, "data range missing from ranges"
assert stall["stall_cycles"][0] > 0 and all(v == 0 for v in stall["stall_cycles"][1:]), \
    "data.table stall cycles per CPU: %s" % stall["stall_cycles"]
print("ok: data.table: %d cold misses (%d lines), stall cycles per CPU %s" % (l1d["misses_cold"], lines, stall["stall_cycles"]))
PY
