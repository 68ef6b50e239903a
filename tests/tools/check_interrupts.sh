#!/usr/bin/env bash
# SIGINT and SIGTERM for run-elf and sweep (README.md, "Exit codes"); `run`
# and run-bare are in check_outputs.sh.
#   - run-elf, a program looping for ever (one thread, and four): stops
#     before its next slice, keeps what the program wrote (stdout a file),
#     prints --stats and writes --stats-json marked "outcome": "interrupted",
#     says so on stderr and ends by the same signal (130, 143);
#   - sweep, Ctrl-C as a terminal sends it (SIGINT to the whole process
#     group) or SIGTERM to the sweep alone: no new variant starts, the
#     running ones stop at their next quantum and write their reports
#     (run.outcome interrupted, exit code 130 or 143 in their rows), the
#     table is written, the missing and interrupted variants are named, the
#     sweep ends by the signal; the same command again runs only those.
#   check_interrupts.sh DUSIM SYS_THREADS_ELF PIPELINE_SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 spin_elf=$2 pipeline=$3 kernel=$4
dir=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 -- -$pid 2> /dev/null; [[ -n ${KEEP:-} ]] || rm -rf "$dir"' EXIT  # KEEP=1: keep $dir
fail() { echo "FAIL: $*"; exit 1; }
# Runs a command in the background in a process group of its own, with the
# default dispositions of SIGINT and SIGTERM (as from an interactive shell;
# a script's `cmd &` would start it with SIGINT ignored). Sets $pid.
start() {  # start OUT ERR COMMAND...
  local out=$1 err=$2
  shift 2
  rm -f "$out" "$err"  # before it starts: what await looks for is this run's
  setsid python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" > "$out" 2> "$err" &
  pid=$!
}
# Waits until FILE exists and holds TEXT (at most 60 s).
await() {  # await FILE TEXT
  for ((i = 0; i < 600; ++i)); do grep -qs -- "$2" "$1" && return 0; sleep 0.1; done
  fail "no '$2' in $1 after 60 s: $(cat "$1" 2> /dev/null)"
}
# Waits for $pid to end (at most 60 s, then it is killed: a failure); sets $rc.
reap() {  # reap WHAT
  for ((i = 0; i < 600; ++i)); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2> /dev/null && { kill -9 -- -"$pid"; wait "$pid"; pid=; fail "$1: still running 60 s after the signal"; }
  wait "$pid"
  rc=$?
  pid=
}
# Signals the process group $pid leads (SIG) or $pid alone (-SIG), waits.
signal_and_wait() {  # signal_and_wait [-]SIG WANTED_RC WHAT
  if [[ $1 == -* ]]; then kill "$1" "$pid"; else kill -"$1" -- -"$pid"; fi
  reap "$3"
  [[ $rc -eq $2 ]] || fail "$3: exit $rc, expected $2"
}

# run-elf: one thread (long slices), then four (rounds of the interleaving).
for sig in INT TERM; do
  for threads in 0 3; do
    what="run-elf, $((threads + 1)) thread(s), SIG$sig"
    start "$dir/out" "$dir/err" "$dusim" run-elf --stats "$spin_elf" spin $threads
    await "$dir/out" "^spinning$"
    sleep 0.3
    signal_and_wait $sig $((128 + $(kill -l $sig))) "$what"
    [[ $(cat "$dir/out") == spinning ]] || fail "$what: stdout is '$(cat "$dir/out")'"
    grep -q "^dusim: interrupted by SIG$sig after [1-9][0-9]* instructions$" "$dir/err" || { cat "$dir/err"; fail "$what: no note on stderr"; }
    grep -q "^dusim: instructions=[1-9][0-9]* cycles=" "$dir/err" || { cat "$dir/err"; fail "$what: no --stats line"; }
    if ((threads)); then grep -q " threads=4 " "$dir/err" || { cat "$dir/err"; fail "$what: the --stats line has no threads=4"; }; fi
  done
done
echo "ok: run-elf stops on SIGINT and SIGTERM (one thread and four): the program's output kept, --stats printed, exit 130 and 143"

start "$dir/out" "$dir/err" "$dusim" run-elf --timing --stats-json "$dir/stats.json" "$spin_elf" spin 0
await "$dir/out" "^spinning$"
sleep 0.3
signal_and_wait INT 130 "run-elf --timing, SIGINT"
grep -q "^dusim: interrupted by SIGINT" "$dir/err" || { cat "$dir/err"; fail "run-elf --timing: no note on stderr"; }
"$dusim" run-elf --timing --stats-json "$dir/ended.json" "$spin_elf" cpus 1 > /dev/null 2>&1 || fail "run-elf --timing of a program that exits failed"
python3 - "$dir/stats.json" "$dir/ended.json" <<'PY' || exit 1
import json, sys
s, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if s.get("outcome") != "interrupted" or not s["instructions"] > 0 or not s["cycles"] >= s["instructions"]:
    print("FAIL: --stats-json of an interrupted run:", {k: s.get(k) for k in ("outcome", "instructions", "cycles")}); sys.exit(1)
if e.get("outcome") != "exited":
    print("FAIL: --stats-json of a run that exited: outcome", e.get("outcome")); sys.exit(1)
print("ok: run-elf --stats-json: outcome interrupted (%d instructions so far); exited when the program exits" % s["instructions"])
PY

# sweep: four variants, two at a time, each long enough to be interrupted.
sweep_cmd=("$dusim" sweep "$pipeline" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" --set duration_ms=100 -j 2)
first=(cpus-2_quantum_cycles-250 cpus-2_quantum_cycles-500) rest=(cpus-4_quantum_cycles-250 cpus-4_quantum_cycles-500)
for sig in INT TERM; do
  out=$dir/sweep-$sig want=$((128 + $(kill -l $sig)))
  start "$dir/sweep.out" "$dir/sweep.err" "${sweep_cmd[@]}" --out "$out"
  # Both running variants are simulating once their modules are built.
  for v in "${first[@]}"; do
    for ((i = 0; i < 600; ++i)); do [[ -e $out/$v/modules/hello_module.o ]] && break; sleep 0.1; done
  done
  sleep 0.5
  if [[ $sig == INT ]]; then
    signal_and_wait INT $want "sweep, Ctrl-C (SIGINT to the process group)"
  else
    signal_and_wait -TERM $want "sweep, SIGTERM to the sweep alone (it passes the signal on)"
  fi
  grep -q "^sweep: interrupted by SIG$sig: the table is incomplete: 2 of 4 variants interrupted .*: ${first[0]}, ${first[1]}; 2 not started: ${rest[0]}, ${rest[1]}; the same command again runs only these$" "$dir/sweep.err" ||
    { cat "$dir/sweep.err"; fail "sweep, SIG$sig: the interrupted and missing variants are not named"; }
  python3 - "$out" $want "${first[@]}" <<'PY' || exit 1
import csv, json, os, sys
out, want, first = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = list(csv.DictReader(open(os.path.join(out, "sweep.csv"))))
if [r["variant"] for r in rows] != first or any(int(r["exit_code"]) != want for r in rows):
    print("FAIL: sweep.csv of an interrupted sweep:", [(r["variant"], r["exit_code"]) for r in rows]); sys.exit(1)
for v in first:
    run = json.load(open(os.path.join(out, v, "report.json")))["run"]
    if run["outcome"] != "interrupted" or not 0 < run["end_ns"] < run["duration_ns"]:
        print("FAIL: %s's report after the sweep was interrupted: %s" % (v, run)); sys.exit(1)
print("ok: the interrupted sweep's table: %s, exit code %d, their reports run.outcome interrupted" % (", ".join(first), want))
PY
done
if pgrep -f -- "--out $dir/" > /dev/null; then fail "variants still running after the sweep ended: $(pgrep -af -- "--out $dir/")"; fi
echo "ok: sweep stops on Ctrl-C (SIGINT to its group) and on SIGTERM: the running variants interrupted, the table written, exit 130 and 143"

"${sweep_cmd[@]}" --out "$dir/sweep-INT" > "$dir/resumed.out" 2>&1 || { rc=$?; cat "$dir/resumed.out"; fail "the resumed sweep exited $rc"; }
grep -q "had finished" "$dir/resumed.out" && { cat "$dir/resumed.out"; fail "the resumed sweep reused an interrupted variant"; }
python3 - "$dir/sweep-INT/sweep.csv" <<'PY' || exit 1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
if len(rows) != 4 or any(r["exit_code"] != "0" for r in rows):
    print("FAIL: the resumed sweep's table:", [(r["variant"], r["exit_code"]) for r in rows]); sys.exit(1)
print("ok: the same command again ran the 4 variants (2 interrupted, 2 not started): exit code 0 in every row")
PY
