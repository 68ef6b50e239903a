#!/usr/bin/env bash
# fake-sim.sh — a stand-in for `dusim` used by selfcheck.sh to prove that
# compare.sh detects differences. Invoked as `fake-sim.sh run-elf PROG ARGS...`,
# it runs PROG under $FAKE_QEMU and then, by $FAKE_MODE:
#   same    pass qemu's output and exit code through unchanged
#   digit   change the last digit 0-8 of the output to the next digit
#   line    append one extra line
#   exit    add 1 to the exit code
#   fault   print nothing and exit 126 with a fault report, like a simulator fault
[[ $1 == run-elf ]] || { echo "fake-sim: expected run-elf" >&2; exit 125; }
shift
case "${FAKE_MODE:-same}" in
  fault)
    echo "fault: illegal instruction at pc 0x10000100 (fake)" >&2
    exit 126 ;;
esac
out=$("$FAKE_QEMU" "$@"; echo "~$?")
rc=${out##*~}
out=${out%~*}
case "${FAKE_MODE:-same}" in
  same) printf '%s' "$out" ;;
  digit) printf '%s' "$out" | perl -0pe 's/([0-8])(\D*)$/($1+1).$2/e' ;;
  line) printf '%s%s\n' "$out" "one more line" ;;
  exit) printf '%s' "$out"; rc=$((rc + 1)) ;;
  *) echo "fake-sim: unknown FAKE_MODE" >&2; exit 125 ;;
esac
exit "$rc"
