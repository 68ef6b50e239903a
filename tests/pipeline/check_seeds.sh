#!/usr/bin/env bash
# `dusim run --seeds` end to end on the bare-metal stand-in (which draws its
# think times from the boot argument seed=, as the kernel's workloads do).
#   check_seeds.sh DUSIM SCENARIO KERNEL_IMAGE CHASE_IMAGE
# Runs seeds 1-3: each seed's full report in seed-N/ with its own seed, and
# the seeds giving different figures (the seed reaches the guest); the
# aggregate's spreads recomputed from the seeds' own reports (mean, sample
# sd, min, max, Student-t 95 % CI); the same seeds again give a
# byte-identical aggregate apart from host. Then a copy of the scenario with
# two checks on one metric, the threshold between the seeds' lowest value
# and their mean: stated over every seed it fails (exit 123, naming the
# seed), stated over the mean it passes. Bad seed lists are input errors.
# Last, the host's randomness: with CHASE_IMAGE (tests/bare/pointer_chase.c,
# which reads no seed) as the kernel, random cache replacement gives seeds 1
# and 2 different traffic, and LRU the same.
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3 chase=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dusim" run "$scenario" --set kernel="$kernel" --seeds 1-3 --out "$dir/a" > "$dir/a.log" || { cat "$dir/a.log"; fail "run --seeds exited $?"; }
grep -q "pipeline over 3 seeds (1, 2, 3)" "$dir/a.log" || { cat "$dir/a.log"; fail "no aggregate summary printed"; }
for f in report.json summary.txt report.html seed-1/report.json seed-2/report.html seed-3/trace.json; do
  [[ -s "$dir/a/$f" ]] || fail "$f missing"
done
"$dusim" run "$scenario" --set kernel="$kernel" --seeds 1-3 --out "$dir/b" -q > /dev/null || fail "second run --seeds exited $?"
python3 - "$dir/a" "$dir/b" <<'PY' || exit 1
import json, math, sys
a_dir, b_dir = sys.argv[1:3]
a = json.load(open(a_dir + "/report.json"))
b = json.load(open(b_dir + "/report.json"))
def need(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
need(a["seeds"] == [1, 2, 3], "seeds %s" % a["seeds"])
per = [json.load(open("%s/seed-%d/report.json" % (a_dir, s))) for s in (1, 2, 3)]
need([p["seed"] for p in per] == [1, 2, 3], "each seed's report has its own seed")
need(len({p["metrics"]["calls_before"] for p in per}) > 1 or len({p["metrics"]["call_max_cycles"] for p in per}) > 1,
     "three seeds gave the same figures: the seed does not reach the guest")
t2 = 4.3027  # Student t, 0.975, 2 degrees of freedom
for name, sp in a["metrics"].items():
    vals = [p["metrics"][name] for p in per]
    need(sp["values"] == vals, "%s values %s, the seeds' reports say %s" % (name, sp["values"], vals))
    mean = sum(vals) / 3
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / 2)
    need(abs(sp["mean"] - mean) < 1e-9 * max(1, abs(mean)), "%s mean" % name)
    need(abs(sp["sd"] - sd) < 1e-9 * max(1, sd), "%s sd %s, by hand %s" % (name, sp["sd"], sd))
    need(sp["min"] == min(vals) and sp["max"] == max(vals), "%s min/max" % name)
    half = t2 * sd / math.sqrt(3)
    need(abs(sp["ci95"][0] - (mean - half)) < 1e-6 * max(1, half) and abs(sp["ci95"][1] - (mean + half)) < 1e-6 * max(1, half),
         "%s ci95 %s, by hand %s" % (name, sp["ci95"], [mean - half, mean + half]))
u = a["updates"][0]
need(u["name"] == "hello" and u["as_expected_in"] == 3, "update %s" % u)
need(u["latency_ns"]["values"] == [p["updates"][0]["latency_ns"] for p in per], "update latency values")
need(all(c["passed"] for c in a["checks"]), "an aggregate check failed")
need([r["exit_code"] for r in a["runs"]] == [0, 0, 0], "runs %s" % a["runs"])
page = open(a_dir + "/report.html").read()
need('id="spread-table"' in page and "seed-2/report.html" in page, "report.html has no spread table or no links to the seeds")
for s, v in zip(a["seeds"], a["metrics"]["calls_before"]["values"]):
    need('{"seed":%d,"value":%s}' % (s, json.dumps(v)) in page, "report.html's plot lacks seed %d's calls_before" % s)
a.pop("host"); b.pop("host")
need(json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), "the same seeds gave a different aggregate")
vals = a["metrics"]["calls_before"]["values"]
need(min(vals) < a["metrics"]["calls_before"]["mean"], "no spread in calls_before")
print("ok: 3 seeds, their reports, spreads as computed by hand, report.html, a byte-identical second aggregate")
PY
# The threshold: between the lowest seed's value and the mean.
threshold=$(python3 - "$dir/a/report.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["metrics"]["calls_before"]
print((min(a["values"]) + a["mean"]) / 2)
PY
)
here=$(cd "$(dirname "$scenario")" && pwd)
python3 - "$scenario" "$dir/seeds.yaml" "$here" "$threshold" <<'PY'
import sys
src, dst, here, t = sys.argv[1:5]
text = open(src).read()
text = text.replace("config: ../../configs/", "config: %s/../../configs/" % here).replace("module: modules/", "module: %s/modules/" % here)
text += """  - name: many calls in every seed
    expect: metrics.calls_before > %s
  - name: many calls on average
    expect: metrics.calls_before > %s
    over: mean
""" % (t, t)
open(dst, "w").write(text)
PY
"$dusim" run "$dir/seeds.yaml" --set kernel="$kernel" --seeds 1-3 --out "$dir/c" > "$dir/c.log" 2>&1
rc=$?
[[ $rc -eq 123 ]] || { cat "$dir/c.log"; fail "a check failing in one seed exited $rc, expected 123"; }
grep -q "\[FAIL\] many calls in every seed (in every seed)" "$dir/c.log" || { cat "$dir/c.log"; fail "summary: no failed every-seed check"; }
grep -q "\[PASS\] many calls on average (over the mean)" "$dir/c.log" || { cat "$dir/c.log"; fail "summary: no passed check over the mean"; }
python3 - "$dir/c/report.json" <<'PY' || exit 1
import json, sys
a = json.load(open(sys.argv[1]))
c = {x["name"]: x for x in a["checks"]}
e, m = c["many calls in every seed"], c["many calls on average"]
low = a["seeds"][a["metrics"]["calls_before"]["values"].index(min(a["metrics"]["calls_before"]["values"]))]
if e["passed"] or low not in e["failed_seeds"] or e["over"] != "every_seed":
    print("FAIL: every-seed check", e); sys.exit(1)
if not m["passed"] or m["over"] != "mean":
    print("FAIL: check over the mean", m); sys.exit(1)
print("ok: over every_seed fails in seed %d, over the mean passes" % low)
PY
[[ $? -eq 0 ]] || exit 1
# Bad lists and combinations are input errors (125), before anything runs.
for bad in "1-x" "3-1" "1,,2"; do
  "$dusim" run "$scenario" --set kernel="$kernel" --seeds "$bad" --out "$dir/bad" > "$dir/bad.log" 2>&1
  rc=$?
  [[ $rc -eq 125 ]] || fail "--seeds $bad exited $rc, expected 125"
  grep -q -- "--seeds $bad" "$dir/bad.log" || { cat "$dir/bad.log"; fail "--seeds $bad: the error does not name the list"; }
done
"$dusim" run "$scenario" --set kernel="$kernel" --set seed=4 --seeds 1-2 --out "$dir/bad" > "$dir/bad.log" 2>&1
[[ $? -eq 125 ]] || fail "--set seed= with --seeds was accepted"
[[ ! -e "$dir/bad/seed-1" ]] || fail "a bad --seeds ran something"
for r in lru random; do
  for s in 1 2; do
    "$dusim" -q run "$scenario" --set kernel="$chase" --set caches.l1d.replacement=$r --set caches.l2.replacement=$r \
      --set duration_ms=0.3 --set seed=$s --out "$dir/$r-$s" > /dev/null 2>&1
    [[ -s "$dir/$r-$s/report.json" ]] || fail "no report from the chase with $r replacement, seed $s"
  done
done
python3 - "$dir" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
c = {k: json.load(open("%s/%s/report.json" % (d, k)))["coherence"] for k in ("lru-1", "lru-2", "random-1", "random-2")}
if c["lru-1"] != c["lru-2"]:
    print("FAIL: with LRU (no randomness) seeds 1 and 2 gave different traffic"); sys.exit(1)
if c["random-1"] == c["random-2"]:
    print("FAIL: with random replacement seeds 1 and 2 gave the same traffic: the seed does not reach the caches"); sys.exit(1)
print("ok: random replacement follows the seed (misses %d and %d), LRU does not change" %
      (c["random-1"]["before"]["total"]["misses"], c["random-2"]["before"]["total"]["misses"]))
PY
echo "ok: per-seed reports, spreads by hand, determinism, checks over every seed and over the mean, bad lists"
