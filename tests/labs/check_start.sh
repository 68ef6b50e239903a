#!/bin/sh
# `dusim lab list`, `lab start` and the grader's input errors (ctest
# labs.start): start never overwrites a student's file (and says it kept
# it), restores one that was removed; list shows every lab and which are
# started; check refuses a lab that does not exist or is not started; a
# malformed grader.yaml is refused with its file, line, column and key; a run
# that outlives its timeout fails its test as a timeout; a check naming a
# metric the scenario lacks cannot be graded, and says where it is written.
set -u
dusim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$dusim" lab start 1 --work "$work" > "$work/out1" 2>&1 || fail "lab start 1: $(cat "$work/out1")"
[ -f "$work/1/fix.cc" ] || fail "lab start 1 did not copy fix.cc"
grep -q "LAB 1: YOUR CODE HERE" "$work/1/fix.cc" || fail "the starter has no marked hole"
echo "// my work" >> "$work/1/fix.cc"
cp "$work/1/fix.cc" "$work/mine.cc"
rm "$work/1/lab1.yaml"
"$dusim" lab start 1 --work "$work" > "$work/out2" 2>&1 || fail "second lab start 1: $(cat "$work/out2")"
cmp -s "$work/1/fix.cc" "$work/mine.cc" || fail "lab start overwrote the student's fix.cc"
grep -q "kept .*fix.cc" "$work/out2" || fail "lab start did not say it kept fix.cc: $(cat "$work/out2")"
[ -f "$work/1/lab1.yaml" ] || fail "lab start did not restore the removed lab1.yaml"
grep -q "copied .*lab1.yaml" "$work/out2" || fail "lab start did not say it copied lab1.yaml"

"$dusim" lab list --work "$work" > "$work/list" 2>&1 || fail "lab list: $(cat "$work/list")"
grep -q "^ 1  First hot swap .*100 points.*(started)" "$work/list" || fail "lab list: $(cat "$work/list")"
grep -q "^ 2  State transfer" "$work/list" || fail "lab list does not show lab 2: $(cat "$work/list")"

"$dusim" lab check 99 --work "$work" > "$work/e1" 2>&1
[ $? -eq 125 ] || fail "lab check 99 should exit 125"
grep -q "there is no lab 99" "$work/e1" || fail "lab check 99: $(cat "$work/e1")"
"$dusim" lab check 2 --work "$work" > "$work/e2" 2>&1
[ $? -eq 125 ] || fail "lab check 2 (not started) should exit 125"
grep -q "lab 2 is not started: ./dusim lab start 2" "$work/e2" || fail "lab check 2: $(cat "$work/e2")"

# A grader with a misspelt key, in a labs folder of its own.
mkdir -p "$work/labs/3-broken/starter"
cat > "$work/labs/3-broken/grader.yaml" <<'YAML'
title: Broken
scenarios: {main: main.yaml}
variants:
  - {cpus: 2, seed: 1, quantum: 1000}
tests:
  - name: one
    points: 10
    expect: [metrics.x == 0]
    timeout: 5
YAML
DUSIM_LABS_DIR="$work/labs" "$dusim" lab list > "$work/e3" 2>&1
[ $? -eq 125 ] || fail "a broken grader should exit 125"
grep -q "grader.yaml:9:5: key 'tests\[0\].timeout'" "$work/e3" || fail "broken grader: $(cat "$work/e3")"
# A run that outlives its test's timeout is killed and the test says so; a
# check naming a metric the scenario does not define cannot be graded.
mkdir -p "$work/labs/4-slow/starter" "$work/labs/4-slow/grade"
echo "nothing to fill in" > "$work/labs/4-slow/starter/README"
cat > "$work/labs/4-slow/grade/slow.yaml" <<'YAML'
name: slow
machine: {config: power5-4cpu.yaml}
duration_ms: 500
workloads:
  - kind: page_alloc
    cpus: all
metrics:
  races: {count: OBJ_DOUBLE_ALLOC, window: all}
outputs: [report.json]
YAML
cat > "$work/labs/4-slow/grader.yaml" <<'YAML'
title: Slow
scenarios: {slow: grade/slow.yaml}
variants:
  - {cpus: 2, seed: 1, quantum: 1000}
tests:
  - name: finishes
    points: 10
    timeout_s: 1
    expect: [metrics.races >= 0]
  - name: names a metric that is not there
    points: 5
    timeout_s: 1
    expect: [metrics.nonesuch == 0]
YAML
DUSIM_LABS_DIR="$work/labs" "$dusim" lab start 4 --work "$work" > /dev/null 2>&1 || fail "lab start 4 (slow)"
DUSIM_LABS_DIR="$work/labs" "$dusim" lab check 4 --work "$work" --results "$work/slow.json" > "$work/slow" 2>&1
[ $? -eq 123 ] || fail "a timed-out lab should exit 123: $(cat "$work/slow")"
python3 - "$work/slow.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
t = {x["name"]: x for x in r["tests"]}
assert r["score"] == 0 and r["max_points"] == 15, r
assert t["finishes"]["outcome"] == "timeout", t["finishes"]
assert "did not finish within 1 s of host time, on variant cpus=2 seed=1 quantum=1000" in t["finishes"]["message"], t["finishes"]
m = t["names a metric that is not there"]
assert m["outcome"] == "error" and "cannot grade 'metrics.nonesuch == 0'" in m["message"] and "grader.yaml:10:5" in m["message"], m
PY
echo ok
