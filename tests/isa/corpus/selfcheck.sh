#!/usr/bin/env bash
# selfcheck.sh — the corpus comparison can fail. Runs compare.sh on one
# program's variants (NAME-O2-* by default) with fake-sim.sh in place of
# dusim: passing qemu's result through must pass; a changed digit, an extra
# line, a changed exit code, a simulator fault, and a wrong expected exit code
# must each fail with the mismatch named (and a diff where output differs).
#
#   selfcheck.sh --qemu PATH --dir DIR [--name hello] [--opts O2] [--cpus "default power7"]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
qemu="" dir="" name=hello opts=O2 cpus="default power7"
while (($#)); do
  case "$1" in
    --qemu) qemu=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --opts) opts=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    *) echo "selfcheck.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
export FAKE_QEMU=$qemu
failures=0

# run MODE EXPECT_STATUS PATTERN [extra compare.sh args]: compare.sh with the fake
# simulator in MODE must exit EXPECT_STATUS and print a line matching PATTERN.
run() {
  local mode=$1 want=$2 pattern=$3
  shift 3
  local out status
  out=$(FAKE_MODE=$mode "$here/compare.sh" --sim "$here/fake-sim.sh" --qemu "$qemu" --dir "$dir" \
          --name "$name" --opts "$opts" --cpus "$cpus" "$@" 2>&1)
  status=$?
  if [[ $status -ne $want ]] || ! grep -qE -- "$pattern" <<< "$out"; then
    echo "SELFCHECK FAILED: mode $mode $*: status $status (wanted $want), pattern '$pattern'"
    sed 's/^/    /' <<< "$out"
    failures=$((failures + 1))
  else
    echo "selfcheck ok: mode $mode $* -> status $status, found '$pattern'"
  fi
}

run same 0 "[0-9]+ identical on qemu-ppc64 and dusim, 0 different"
run digit 1 "^  \+[^+].*[0-9]"          # the diff shows dusim's changed line
run digit 1 "standard output differs"
run line 1 "^  \+one more line"
run exit 1 "exit code: qemu 0, dusim 1"
run fault 1 "exit code: qemu 0, dusim 126 \(guest fault\)"
run fault 1 "fault: illegal instruction at pc 0x10000100"
run same 1 "qemu exited 0, the program should exit 42" --expect-exit 42
run same 1 "MISSING $name-O9-default" --opts O9 --cpus default

if ((failures)); then
  echo "selfcheck: $failures checks failed"
  exit 1
fi
echo "selfcheck: the comparison detects every planted difference"
