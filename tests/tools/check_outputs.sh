#!/usr/bin/env bash
# What a run leaves on disk, end to end on the scenario-pipeline stand-in
# guest (README.md, "Exit codes"):
#   - an output that cannot be written (a directory in the way of
#     report.json, --events or --stats-json into a missing folder or onto a
#     directory, a full device) is an error naming the file, exit code 120,
#     and no "reports in";
#   - a rerun killed with SIGKILL leaves no report of the earlier run, and a
#     run leaves no temporary files;
#   - a scenario name that would leave out/ (absolute, '..', '/', empty) is
#     refused (125) and nothing is written outside;
#   - SIGINT or SIGTERM stops the run at the next quantum: report.json says
#     run.outcome interrupted (end_ns before the duration), the summary says
#     so, and dusim ends by the same signal (130, 143).
#   check_outputs.sh DUSIM PIPELINE_SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 pipeline=$2 kernel=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_rc() {  # expect_rc CODE WHAT COMMAND...: runs it into $dir/stdout, $dir/stderr
  local want=$1 what=$2
  shift 2
  "$@" > "$dir/stdout" 2> "$dir/stderr"
  local rc=$?
  [[ $rc -eq $want ]] || { cat "$dir/stdout" "$dir/stderr"; fail "$what: exit $rc, expected $want"; }
}
has() { grep -q -- "$2" "$dir/$1" || { cat "$dir/$1"; fail "$3: no '$2'"; }; }
hasnt() { grep -q -- "$2" "$dir/$1" && { cat "$dir/$1"; fail "$3: '$2'"; }; return 0; }
# The pipeline scenario with its own paths, the kernel named in the file.
scenario() {  # scenario NAME_LINE > FILE
  sed -e "s|config: ../../configs/power5-4cpu.yaml|config: power5-4cpu.yaml|" \
      -e "s|module: modules/hello_module.cc|module: $(dirname "$pipeline")/modules/hello_module.cc|" \
      -e "s|^name: pipeline$|$1|" "$pipeline"
  echo "kernel: $kernel"
}
scenario "name: pipeline" > "$dir/p.yaml"
mkdir "$dir/work"
cd "$dir/work"

# Write errors.
mkdir -p "$dir/o1/report.json/inside"
expect_rc 120 "a directory in the way of report.json" "$dusim" run "$dir/p.yaml" --out "$dir/o1"
has stderr "cannot write $dir/o1/report.json: it is a directory" "report.json is a directory"
hasnt stdout "reports in" "report.json is a directory"
expect_rc 120 "--events into a missing folder" "$dusim" run "$dir/p.yaml" --out "$dir/o2" --events "$dir/missing/events.jsonl"
has stderr "cannot write $dir/missing/events.jsonl: no folder" "--events into a missing folder"
expect_rc 120 "--stats-json into a missing folder" "$dusim" run-bare "$kernel" --stats-json "$dir/missing/s.json" --max-ms 1
has stderr "cannot write $dir/missing/s.json: no folder" "--stats-json into a missing folder"
mkdir -p "$dir/sdir/x"
expect_rc 120 "--stats-json onto a directory" "$dusim" run-bare "$kernel" --stats-json "$dir/sdir" --max-ms 1
has stderr "cannot write $dir/sdir: it is a directory" "--stats-json onto a directory"
expect_rc 120 "--stats-json onto a full device" "$dusim" run-bare "$kernel" --stats-json /dev/full --max-ms 1
has stderr "cannot write /dev/full: No space left on device" "--stats-json onto /dev/full"
echo "ok: write errors are named, exit code 120"

# Stale outputs: a run writes no temporary files; a killed rerun leaves no
# report of the earlier run.
expect_rc 0 "a run" "$dusim" run "$dir/p.yaml" --out "$dir/s" --events "$dir/s.events" --no-summary
[[ -s $dir/s/report.json && -s $dir/s.events ]] || fail "no report.json or events"
leftovers=$(find "$dir/s" "$dir" -maxdepth 1 -name '.*.tmp-*')
[[ -z $leftovers ]] || fail "temporary files left: $leftovers"
"$dusim" run "$dir/p.yaml" --out "$dir/s" --events "$dir/s.events" --set duration_ms=10000 --no-summary > /dev/null 2>&1 &
pid=$!
for ((i = 0; i < 100; ++i)); do [[ -e $dir/s/report.json ]] || break; sleep 0.1; done
sleep 0.5
kill -KILL $pid; wait $pid 2> /dev/null
for f in report.json trace.json report.html; do
  [[ -e $dir/s/$f ]] && fail "a rerun killed with SIGKILL left the earlier run's $f"
done
[[ -e $dir/s.events ]] && fail "a rerun killed with SIGKILL left the earlier run's --events file"
echo "ok: a killed rerun leaves no earlier report; no temporary files"

# Names that would leave out/.
for name in "name: ../escape" "name: /tmp/dusim-escape-$$" "name: a/../../escape" "name: ''" "name: .."; do
  scenario "$name" > "$dir/n.yaml"
  expect_rc 125 "$name" "$dusim" run "$dir/n.yaml"
  has stderr "n.yaml:[0-9]*:[0-9]*: key 'name': the scenario's name is its output folder's" "$name"
done
[[ -e $dir/escape || -e /tmp/dusim-escape-$$ ]] && fail "a scenario name wrote outside out/"
[[ -z $(ls -A "$dir/work") ]] || fail "refused names still created: $(ls -A "$dir/work")"
echo "ok: names that leave out/ are refused"

# Interrupted: SIGINT and SIGTERM (started with the default dispositions, as
# from an interactive shell).
for sig in INT TERM; do
  python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$dusim" run "$dir/p.yaml" --out "$dir/i$sig" --set duration_ms=10000 > "$dir/i$sig.out" 2> "$dir/i$sig.err" &
  pid=$!
  # Once its module is built, the run is about to simulate (10 s of it).
  for ((i = 0; i < 300; ++i)); do [[ -e $dir/i$sig/modules/hello_module.o ]] && break; sleep 0.1; done
  sleep 1
  kill -$sig $pid
  wait $pid
  rc=$?
  want=$((128 + $(kill -l $sig)))
  [[ $rc -eq $want ]] || { cat "$dir/i$sig.out" "$dir/i$sig.err"; fail "SIG$sig: exit $rc, expected $want"; }
  python3 - "$dir/i$sig/report.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))["run"]
if r["outcome"] != "interrupted" or not 0 < r["end_ns"] < r["duration_ns"]:
    print("FAIL: run section of an interrupted run:", r); sys.exit(1)
PY
  grep -q "^pipeline (seed 7): .*, interrupted$" "$dir/i$sig.out" || { cat "$dir/i$sig.out"; fail "SIG$sig: the summary does not say interrupted"; }
  grep -q "^interrupted (SIGINT or SIGTERM) at " "$dir/i$sig.out" || fail "SIG$sig: no 'interrupted' line in the summary"
  grep -q "dusim: interrupted by SIG$sig at .* (run.outcome: interrupted)" "$dir/i$sig.err" || { cat "$dir/i$sig.err"; fail "SIG$sig: no note on stderr"; }
done
echo "ok: SIGINT and SIGTERM stop the run, the report says interrupted, exit 130 and 143"
