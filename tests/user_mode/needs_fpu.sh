#!/usr/bin/env bash
# needs_fpu.sh --sim DUSIM --probe fpu_probe.elf -- COMMAND...
# Runs COMMAND if `dusim run-elf` models the FPU (the probe's stfd/lfd run and
# it exits 0). If it stops with "floating point not modelled", prints why the
# test cannot run and exits 77 (ctest: Skipped). Any other probe outcome is a
# failure, so a broken FPU is never mistaken for an absent one.
set -uo pipefail
sim="" probe=""
while (($#)) && [[ $1 != -- ]]; do
  case "$1" in
    --sim) sim=$2; shift 2 ;;
    --probe) probe=$2; shift 2 ;;
    *) echo "needs_fpu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shift
out=$("$sim" run-elf "$probe" 2>&1)
rc=$?
if ((rc == 0)); then exec "$@"; fi
if ((rc == 126)) && grep -q "floating point not modelled" <<< "$out"; then
  echo "SKIPPED: needs the FPU, which this dusim does not model (issue 15, part 3): every glibc program"
  echo "saves floating-point registers at start-up (setjmp in __libc_start_call_main)."
  exit 77
fi
echo "FAIL: the FPU probe $probe exited $rc:"
echo "$out"
exit 1
