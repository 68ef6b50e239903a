#!/usr/bin/env bash
# The scenario's seed reaches the guest: a shipped scenario run with seeds 1
# and 2 (`dusim run --seeds 1,2`) must give different metrics, while every
# check still passes in both; the same seed twice is byte-identical (the
# --moved runs of check_scenario.sh).
#   check_seed.sh DUSIM SCENARIO.yaml
set -uo pipefail
dusim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" run "$scenario" --seeds 1,2 --out "$dir/s" -q > "$dir/stdout" || { echo "FAIL: dusim run --seeds 1,2 exited $?"; exit 1; }
# -q leaves the terminal to failures: the guest's console is in each seed's console.txt.
[[ ! -s $dir/stdout ]] || { echo "FAIL: run -q printed on stdout:"; head -5 "$dir/stdout"; exit 1; }
for s in 1 2; do
  grep -q "dusim" "$dir/s/seed-$s/console.txt" || { echo "FAIL: seed-$s/console.txt has no guest console text"; exit 1; }
done
python3 - "$dir/s" <<'PY'
import json, sys
d = sys.argv[1]
one, two = (json.load(open("%s/seed-%d/report.json" % (d, s))) for s in (1, 2))
if (one["seed"], two["seed"]) != (1, 2):
    print("FAIL: the reports' seeds are %s and %s" % (one["seed"], two["seed"])); sys.exit(1)
differ = [k for k in one["metrics"] if one["metrics"][k] != two["metrics"][k]]
if not differ:
    print("FAIL: seeds 1 and 2 gave the same metrics: the seed does not reach the guest's workloads")
    print(json.dumps(one["metrics"], indent=1)); sys.exit(1)
print("ok: seeds 1 and 2 differ in %d of %d metrics (%s)" % (len(differ), len(one["metrics"]), ", ".join(
    "%s %s/%s" % (k, one["metrics"][k], two["metrics"][k]) for k in differ[:4])))
PY
