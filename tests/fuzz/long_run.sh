#!/usr/bin/env bash
# The fuzzers' long run (README.md here, "Runs"): every target, one after
# another, for SECONDS each (one job; run it niced, outside the suite), from
# its corpus folder, with run_fuzzer.sh. Prints one Markdown row per target;
# --readme also writes the table into this folder's README.md (between its
# long-run markers). Exits non-zero if any target found something (its
# input is in /tmp/fuzz-long-TARGET/artifacts/: reproduce it with
# BUILD_DIR/fuzz/fuzz_TARGET FILE, fix it, keep it as
# corpus/TARGET/regression-WHAT).
#   tests/fuzz/long_run.sh [BUILD_DIR] [SECONDS] [--readme]    (default: build 300)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build=$root/build seconds=300 readme=
args=()
for a in "$@"; do
  if [[ $a == --readme ]]; then readme=1; else args+=("$a"); fi
done
[[ ${#args[@]} -ge 1 ]] && build=${args[0]}
[[ ${#args[@]} -ge 2 ]] && seconds=${args[1]}
targets=(scenario machine_config set elf decoder gdb_packet module_loader)
status=0
rows=()
for t in "${targets[@]}"; do
  fuzzer=$build/fuzz/fuzz_$t
  [[ -x $fuzzer ]] || { echo "long_run.sh: $fuzzer is not built (./dusim test builds the fuzzers when clang++ is installed)" >&2; exit 2; }
  t0=$(date +%s)
  line=$(DUSIM_FUZZ_GDB_ELF=$build/tests/gdb/guest.elf "$here/run_fuzzer.sh" "$fuzzer" "$here/corpus/$t" "/tmp/fuzz-long-$t" \
           -max_total_time="$seconds" 2>&1)
  rc=$?
  secs=$(($(date +%s) - t0))
  printf '%s\n' "$line"
  ((rc == 0)) || status=1
  # "fuzz_T: N executions, S seeds, K new inputs, U unclear errors, F findings (exit R; log: ...)"
  read -r execs seeds new unclear findings < <(sed -n '1s/^[^:]*: \([0-9]*\) executions, \([0-9]*\) seeds, \([0-9]*\) new inputs, \([0-9]*\) unclear errors, \([0-9]*\) findings.*/\1 \2 \3 \4 \5/p' <<< "$line")
  rows+=("| \`$t\` | $secs | ${execs:-?} | $((${execs:-0} / (secs > 0 ? secs : 1))) | ${seeds:-?} | ${new:-?} | ${unclear:-?} | ${findings:-?} |")
done
header="| target | seconds | executions | per second | corpus inputs | new inputs | unclear errors | findings |
|---|---|---|---|---|---|---|---|"
table="$header"
for r in "${rows[@]}"; do table+=$'\n'"$r"; done
printf '\n%s\n' "$table"
if [[ -n $readme ]]; then
  python3 - "$here/README.md" "$table" "$seconds" "$(date -u +%Y-%m-%d)" "$(nproc)" "$(nice)" <<'PY' || exit 1
import sys
path, table, seconds, day, cores, niceness = sys.argv[1:]
begin = "<!-- long_run.sh: begin (written by tests/fuzz/long_run.sh --readme; do not edit) -->"
end = "<!-- long_run.sh: end -->"
text = open(path).read()
if begin not in text or end not in text:
    sys.exit("long_run.sh: no long-run markers in %s" % path)
block = "%s\n%s s per target, one job each, on %s (%s cores shared, nice %s):\n\n%s\n%s" % (
    begin, seconds, day, cores, niceness, table, end)
head, rest = text.split(begin, 1)
open(path, "w").write(head + block + rest.split(end, 1)[1])
print("long_run.sh: wrote the table into %s" % path)
PY
fi
exit $status
