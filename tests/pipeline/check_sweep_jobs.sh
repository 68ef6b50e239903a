#!/usr/bin/env bash
# dusim sweep runs a plan: -j 2 gives sequential's table byte for byte (host
# time aside); a second run reuses every finished variant; a sweep killed
# midway leaves the running variant nothing that looks finished, and the
# next run runs only what had not finished; --force reruns all; --dry-run
# prints the plan and runs nothing.
#   check_sweep_jobs.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 -- -$pid 2> /dev/null; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$dusim" sweep "$scenario" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" "$@"; }
# sweep.csv without its last column, wall_seconds (host time).
table() { sed 's/,[^,]*$//' "$1/sweep.csv"; }

sweep --dry-run --out "$dir/dry" > "$dir/plan.json" || { rc=$?; fail "--dry-run exited $rc"; }
[[ -e $dir/dry ]] && fail "--dry-run wrote $dir/dry"
python3 - "$dir/plan.json" <<'PY' || exit 1
import json, sys
p = json.load(open(sys.argv[1]))
v = p["variants"]
assert [x["name"] for x in v] == ["cpus-2_quantum_cycles-250", "cpus-2_quantum_cycles-500", "cpus-4_quantum_cycles-250",
                                  "cpus-4_quantum_cycles-500"], v
assert all(x["seed"] == 7 and len(x["hash"]) == 16 for x in v), v
assert len({x["hash"] for x in v}) == 4, "variants share a hash"
assert v[3]["sets"][-2:] == ["machine.cpus=4", "machine.quantum_cycles=500"], v[3]["sets"]
print("ok: --dry-run prints the plan: 4 variants, their seeds, hashes and overrides")
PY

sweep -j 1 --out "$dir/seq" > "$dir/seq.out" 2>&1 || { rc=$?; cat "$dir/seq.out"; fail "sequential sweep exited $rc"; }
sweep -j 2 --out "$dir/par" > "$dir/par.out" 2>&1 || { rc=$?; cat "$dir/par.out"; fail "-j 2 sweep exited $rc"; }
[[ $(wc -l < "$dir/par/sweep.csv") -eq 5 ]] || fail "sweep.csv has $(wc -l < "$dir/par/sweep.csv") lines, expected 1 + 4"
diff <(table "$dir/seq") <(table "$dir/par") || fail "-j 2 and -j 1 tables differ"
grep -q "^cpus-2_quantum_cycles-250,2,250,7," "$dir/par.out" || fail "the rows were not printed as they came: $(cat "$dir/par.out")"
echo "ok: -j 2 gives the sequential table byte for byte (wall_seconds aside)"
grep -q " done, " "$dir/par.out" && fail "a progress line was written though the output is not a terminal"

# On a terminal (script(1)'s pseudo-terminal): one progress line, erased
# before each row, so every row starts a line of its own and none remains.
TERM=xterm script -qefc "$(printf '%q ' "$dusim" sweep "$scenario" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" \
  -j 2 --force --out "$dir/tty")" "$dir/tty.log" > /dev/null || { rc=$?; fail "the sweep on a terminal exited $rc"; }
python3 - "$dir/tty.log" <<'PY' || exit 1
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
if not re.search(r"sweep: \d of 4 done, \d running, 0 failed", raw):
    print("FAIL: no progress line on a terminal: %r" % raw[:400]); sys.exit(1)
# The screen, line by line: CR to column 0, ESC[K erases to the end of the line.
def screen(text):
    lines, cur, col, i = [], [], 0, 0
    while i < len(text):
        if text.startswith("\x1b[K", i):
            del cur[col:]; i += 3; continue
        c = text[i]; i += 1
        if c == "\n": lines.append("".join(cur)); cur, col = [], 0
        elif c == "\r": col = 0
        else:
            if col < len(cur): cur[col] = c
            else: cur.append(c)
            col += 1
    return lines + ["".join(cur)]
shown = [l for l in screen(raw) if l.strip()]
rows = [l for l in shown if "quantum_cycles-" in l]
if len(rows) != 4 or not all(l.startswith("cpus-") for l in rows):
    print("FAIL: the rows are not each on a line of their own: %r" % shown); sys.exit(1)
if any(" done, " in l for l in shown):
    print("FAIL: a progress line is left on the screen: %r" % shown); sys.exit(1)
print("ok: on a terminal, a progress line, erased around the 4 rows")
PY

touch -d '2000-01-01' "$dir"/par/*/report.json
sweep -j 2 --out "$dir/par" > "$dir/again.out" 2>&1 || { rc=$?; cat "$dir/again.out"; fail "the second sweep exited $rc"; }
grep -q "4 of 4 variants had finished to this plan" "$dir/again.out" || { cat "$dir/again.out"; fail "a finished variant ran again"; }
[[ -z $(find "$dir/par" -name report.json -newer "$dir/plan.json") ]] || fail "a finished variant's report was rewritten"
diff <(table "$dir/seq") <(table "$dir/par") || fail "the resumed table differs"
echo "ok: a second run reuses every finished variant"

# Killed while a variant runs: the sweep in its own process group, killed
# with its children once the first variant has finished. A stand-in variant
# takes a fraction of a second, so the kill can land after the second one
# finished too: then the try is repeated (up to 5 times), never counted.
v=cpus-2_quantum_cycles-500
for try in 1 2 3 4 5; do
  setsid "$dusim" sweep "$scenario" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" -j 1 --force --out "$dir/par" \
    > "$dir/killed.out" 2>&1 &
  pid=$!
  for _ in $(seq 6000); do
    [[ -e $dir/par/cpus-2_quantum_cycles-250/finished.json && -e $dir/par/$v &&
       ! -e $dir/par/$v/finished.json ]] && break
    sleep 0.01
  done
  kill -9 -- -$pid
  wait $pid 2> /dev/null
  pid=
  # The variant writes report.json (whole, by rename) just before the sweep
  # records finished.json: a kill between the two is also "too late".
  [[ -e $dir/par/$v/finished.json || -e $dir/par/$v/report.json ]] || break
  echo "note: try $try: the kill came after $v had written its report; trying again"
done
[[ -e $dir/par/cpus-2_quantum_cycles-250/finished.json ]] || fail "the first variant did not finish before the kill"
[[ -e $dir/par/$v/finished.json || -e $dir/par/$v/report.json ]] && fail "variant $v, killed midway, looks finished"
for v in cpus-4_quantum_cycles-250 cpus-4_quantum_cycles-500; do
  [[ -e $dir/par/$v/finished.json ]] && fail "variant $v, not run after --force, looks finished"
done
"$dusim" sweep --collect "$dir/par" > "$dir/partial.out" 2>&1
rc=$?
[[ $rc -ne 0 ]] || fail "--collect of a killed sweep exited 0"
grep -q "3 of 4 variants have not finished .*: cpus-2_quantum_cycles-500, cpus-4_quantum_cycles-250, cpus-4_quantum_cycles-500" \
  "$dir/partial.out" || { cat "$dir/partial.out"; fail "--collect did not name the missing variants"; }
sweep -j 2 --out "$dir/par" > "$dir/resumed.out" 2>&1 || { rc=$?; cat "$dir/resumed.out"; fail "the resumed sweep exited $rc"; }
grep -q "1 of 4 variants had finished to this plan" "$dir/resumed.out" || { cat "$dir/resumed.out"; fail "the resumed sweep did not reuse exactly the finished variant"; }
diff <(table "$dir/seq") <(table "$dir/par") || fail "the table after the kill and resume differs"
echo "ok: killed midway, the running variant left nothing finished; the resumed sweep ran the other 3"

sweep -j 2 --force --out "$dir/par" > "$dir/forced.out" 2>&1 || { rc=$?; fail "--force exited $rc"; }
grep -q "had finished" "$dir/forced.out" && fail "--force reused a variant"
[[ -n $(find "$dir/par" -name report.json -newer "$dir/resumed.out") ]] || fail "--force rewrote no report"
echo "ok: --force reruns every variant"

# A changed input changes the plan hash: every variant runs again.
sweep -j 2 --set duration_ms=0.4 --out "$dir/par" > "$dir/changed.out" 2>&1 || { rc=$?; fail "the changed sweep exited $rc"; }
grep -q "had finished" "$dir/changed.out" && fail "a variant was reused though its inputs changed"
echo "ok: changed inputs rerun the variants"
