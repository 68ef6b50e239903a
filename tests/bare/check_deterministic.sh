#!/usr/bin/env bash
# Runs the same command twice with --stats-json and requires identical
# console output and identical statistics.   check_deterministic.sh COMMAND...
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$@" --stats-json "$dir/a.json" > "$dir/a.out" 2>&1 || { echo "first run failed"; cat "$dir/a.out"; exit 1; }
"$@" --stats-json "$dir/b.json" > "$dir/b.out" 2>&1 || { echo "second run failed"; cat "$dir/b.out"; exit 1; }
cat "$dir/a.out"
cmp "$dir/a.out" "$dir/b.out" || { diff "$dir/a.out" "$dir/b.out" | head; exit 1; }
cmp "$dir/a.json" "$dir/b.json" || { diff "$dir/a.json" "$dir/b.json" | head -20; exit 1; }
grep -q '"instructions"' "$dir/a.json" || { echo "no statistics written"; exit 1; }
echo "ok: two runs, identical output and statistics ($(wc -c < "$dir/a.json") bytes of JSON)"
