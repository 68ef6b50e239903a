#!/usr/bin/env bash
# Runs one guest test (or any guest kernel run) under dusim and checks it.
#   run_guest_test.sh [--expect-exit N] [--expect REGEX]... [--reject REGEX]... -- COMMAND...
# Exit 0 when the exit code is N (default 0), every --expect pattern occurs
# in the output (stdout and stderr together) and no --reject pattern does.
set -uo pipefail
expect_exit=0
patterns=()
rejects=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect) patterns+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    *) echo "run_guest_test: unknown option $1" >&2; exit 2 ;;
  esac
done
shift
out=$("$@" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $rc -eq $expect_exit ]] || fail "exit code $rc, expected $expect_exit"
for p in "${patterns[@]}"; do
  grep -Eq -- "$p" <<<"$out" || fail "output does not match /$p/"
done
for p in "${rejects[@]}"; do
  if grep -Eq -- "$p" <<<"$out"; then fail "output matches /$p/"; fi
done
exit 0
