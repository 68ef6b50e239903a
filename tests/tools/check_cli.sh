#!/usr/bin/env bash
# The command line's conventions, end to end on the scenario-pipeline
# stand-in guest:
#   --version; an unknown command is named (with the nearest); --help shows
#   ./dusim and lists test and open; -q and -v after the command change what
#   `run` prints; run --cpus N; a --set run without --out gets a folder of
#   its own; sweep --vary with a mistyped key is an input error naming it;
#   `open` prints the page's path without a display and starts $BROWSER
#   with one.
#   check_cli.sh DUSIM PIPELINE_SCENARIO KERNEL_IMAGE
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

# The pipeline scenario as a user would copy it: paths of its own, the
# kernel named in the file (so a plain run has no --set).
sed -e "s|config: ../../configs/power5-4cpu.yaml|config: power5-4cpu.yaml|" \
    -e "s|module: modules/hello_module.cc|module: $(dirname "$pipeline")/modules/hello_module.cc|" "$pipeline" > "$dir/pipeline.yaml"
echo "kernel: $kernel" >> "$dir/pipeline.yaml"
cd "$dir"

expect_rc 0 "--version" "$dusim" --version
has stdout "^dusim [0-9][0-9.]* (SystemC .*; plots: vega [0-9.]*, vega-lite [0-9.]*, vega-embed [0-9.]*)$" "--version"
expect_rc 125 "an unknown command" "$dusim" rn pipeline.yaml
has stderr "unknown command 'rn' (did you mean run?)" "unknown command"
hasnt stderr "A subcommand is required" "unknown command"
expect_rc 0 "--help" "$dusim" --help
has stdout "Usage: ./dusim " "usage line"
has stdout "^  test " "--help lists test"
has stdout "^  open " "--help lists open"
expect_rc 0 "run --help" "$dusim" run --help
has stdout "Usage: ./dusim run " "run's usage line"
echo "ok: --version, unknown command, --help"

expect_rc 0 "a plain run" "$dusim" run pipeline.yaml
has stdout "^reports in out/pipeline$" "a plain run's folder"
has stdout "^update hello: applied" "the summary"
normal=$(wc -l < stdout)
expect_rc 0 "run -q" "$dusim" run pipeline.yaml -q
hasnt stdout "update hello" "run -q prints the summary"
hasnt stdout "reports in" "run -q prints where the reports are"
expect_rc 0 "run -v" "$dusim" run pipeline.yaml -v
has stdout "number of WORKLOAD_CALL events" "run -v says what each metric is"
has stdout "    cpu 3 " "run -v gives per-CPU rates"
has stdout "dusim: debug: update hello: powerpc64-linux-gnu-g++ " "run -v logs debug messages (the module's compile command)"
(( $(wc -l < stdout) > normal )) || fail "run -v printed no more than run"
echo "ok: -q and -v after the command change what run prints"

expect_rc 0 "run --cpus 2" "$dusim" run pipeline.yaml --cpus 2 -q
grep -q '"cpus": 2,' out/pipeline--cpus-2/report.json || fail "run --cpus 2 did not run 2 CPUs (or not into out/pipeline--cpus-2)"
expect_rc 0 "run --set" "$dusim" run pipeline.yaml --set seed=9 --set machine.quantum_cycles=250
has stdout "^reports in out/pipeline--seed-9_quantum_cycles-250 (named after the --set overrides" "a --set run's folder"
grep -q '"seed": 9,' out/pipeline--seed-9_quantum_cycles-250/report.json || fail "the --set run's report is not in its folder"
grep -q '"seed": 7,' out/pipeline/report.json || fail "the plain run's report was replaced by the --set run's"
echo "ok: run --cpus, and a --set run does not replace the plain run's report"

expect_rc 125 "sweep --vary cpu=1,2" "$dusim" sweep pipeline.yaml --vary cpu=1,2
has stderr "unknown key 'cpu' (did you mean cpus?)" "sweep --vary typo"
hasnt stderr "basic_string" "sweep --vary typo"
[[ -e out/pipeline-sweep ]] && fail "a sweep with a bad --vary started"
expect_rc 125 "sweep --vary cpus=1,banana" "$dusim" sweep pipeline.yaml --vary cpus=1,banana
has stderr "variant cpus-banana" "sweep --vary bad value"
expect_rc 125 "sweep --vary cpus=" "$dusim" sweep pipeline.yaml --vary cpus=
has stderr "--vary cpus=: expected KEY=V1,V2" "sweep --vary with no values"
expect_rc 125 "sweep without --vary" "$dusim" sweep pipeline.yaml
has stderr "sweep needs at least one --vary" "sweep without --vary"
expect_rc 125 "sweep --collect of a folder without a plan" "$dusim" sweep --collect out
has stderr "out/plan.json: no sweep plan here" "sweep --collect without a plan"
[[ -e out/pipeline-sweep ]] && fail "a sweep with a bad --vary started"
echo "ok: sweep --vary mistakes are input errors, before anything runs"

expect_rc 0 "open without a display" env -u DISPLAY -u WAYLAND_DISPLAY "$dusim" open out/pipeline
has stdout "^$dir/out/pipeline/report.html$" "open without a display prints the path"
printf '#!/bin/sh\necho "$@" > %s/opened\n' "$dir" > browser.sh && chmod +x browser.sh
expect_rc 0 "open with a display" env DISPLAY=:99 BROWSER="$dir/browser.sh" "$dusim" open out/pipeline
for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -s opened ]] && break; sleep 0.2; done
grep -q "$dir/out/pipeline/report.html" opened 2> /dev/null || fail "open did not start \$BROWSER with the page"
expect_rc 125 "open a folder without a page" "$dusim" open out
has stderr "no report.html or sweep.html" "open a folder without a page"
echo "ok: open"
