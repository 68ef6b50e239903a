#!/usr/bin/env bash
# Runs a command (a guest test, a bare-metal image, any dusim run) and checks
# its outcome; every test suite that boots something uses it.
#   run_checked.sh [--expect-exit N] [--expect REGEX]... [--reject REGEX]...
#                  [--check SCRIPT ARG]... -- COMMAND...
# Exit 0 when the exit code is N (default 0), every --expect pattern occurs
# in the output (stdout and stderr together), no --reject pattern does, and
# every `SCRIPT ARG OUTPUT_FILE` exits 0 (e.g. tests/bare/check_latency.sh).
set -uo pipefail
expect_exit=0
patterns=()
rejects=()
checks=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect) patterns+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    --check) checks+=("$2" "$3"); shift 3 ;;
    *) echo "run_checked: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 1 ]] || { echo "run_checked: no command after --" >&2; exit 2; }
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
if [[ ${#checks[@]} -gt 0 ]]; then
  file=$(mktemp)
  trap 'rm -f "$file"' EXIT
  printf '%s\n' "$out" > "$file"
  for ((i = 0; i < ${#checks[@]}; i += 2)); do
    "${checks[i]}" "${checks[i + 1]}" "$file" || fail "${checks[i]##*/} ${checks[i + 1]}"
  done
fi
exit 0
