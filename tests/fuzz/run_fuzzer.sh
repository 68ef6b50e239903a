#!/usr/bin/env bash
# One fuzz run: run_fuzzer.sh FUZZER SEED_CORPUS WORK_DIR [libFuzzer options...]
# Replays every input of SEED_CORPUS (the seeds and the kept regression
# inputs), then mutates for as long as the options say; new inputs go to
# WORK_DIR/new, a crashing or hanging input to WORK_DIR/artifacts/. Exits
# non-zero on any finding (libFuzzer's own exit code) and prints one line:
# executions, corpus size, findings. Options: libFuzzer's (-max_total_time=S,
# -runs=N, -jobs=N ...); DUSIM_FUZZ_STRICT=1 makes unclear errors findings.
set -uo pipefail
fuzzer=$1 seeds=$2 work=$3
shift 3
name=$(basename "$fuzzer")
rm -rf "$work"
mkdir -p "$work/new" "$work/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$fuzzer" -artifact_prefix="$work/artifacts/" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
  -print_final_stats=1 "$@" "$work/new" "$seeds" > "$work/log" 2>&1
rc=$?
execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{s += $2} END {print s + 0}')
new=$(find "$work/new" -type f | wc -l)
unclear=$(grep -c '^dusim-fuzz: unclear error' "$work/log")
artifacts=$(find "$work/artifacts" -type f | wc -l)
echo "$name: $execs executions, $(find "$seeds" -type f | wc -l) seeds, $new new inputs, $unclear unclear errors, $artifacts findings (exit $rc; log: $work/log)"
if ((rc != 0)); then
  grep -E 'ERROR|runtime error|invariant broken|Test unit written|deadly signal|timeout|out-of-memory' "$work/log" | head -20
fi
grep '^dusim-fuzz: unclear error' "$work/log" | head -5
exit $rc
