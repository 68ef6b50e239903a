#!/usr/bin/env bash
# Runs a bare-metal image under dusim and checks its result.
#   run_bare_test.sh [--expect-exit N] [--expect REGEX]... [--chase L1,L2,MEM]
#                    [--ping-pong C2C] -- COMMAND...
# --chase checks pointer_chase's plateaus (cycles per load within 5% of the
# configured L1, L2 and memory latencies); --ping-pong checks the measured
# cache-to-cache latency within 5%.
set -uo pipefail
expect_exit=0 chase="" pingpong=""
patterns=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect) patterns+=("$2"); shift 2 ;;
    --chase) chase=$2; shift 2 ;;
    --ping-pong) pingpong=$2; shift 2 ;;
    *) echo "run_bare_test: unknown option $1" >&2; exit 2 ;;
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
if [[ -n "$chase" ]]; then
  IFS=, read -r l1 l2 mem <<<"$chase"
  declare -A got
  while read -r _ size x100; do got[$size]=$x100; done < <(grep -E '^chase [0-9]+ [0-9]+$' <<<"$out")
  [[ ${#got[@]} -ge 6 ]] || fail "pointer chase printed ${#got[@]} sizes"
  check() {  # check SIZE EXPECTED_CYCLES
    local v=${got[$1]:-} e=$2
    [[ -n "$v" ]] || fail "no result for $1 bytes"
    (( v >= e * 95 && v <= e * 105 )) || fail "$1 bytes: $((v / 100)).$((v % 100)) cycles per load, expected $e within 5%"
    echo "ok: $1 bytes: $((v / 100)).$(printf %02d $((v % 100))) cycles per load (configured $e)"
  }
  check 8192 "$l1"; check 24576 "$l1"
  check 65536 "$l2"; check 262144 "$l2"; check 1048576 "$l2"
  check 4194304 "$mem"; check 8388608 "$mem"
fi
if [[ -n "$pingpong" ]]; then
  v=$(sed -n 's/^c2c latency \([0-9]*\)$/\1/p' <<<"$out")
  [[ -n "$v" ]] || fail "ping-pong printed no latency"
  (( v * 100 >= pingpong * 95 && v * 100 <= pingpong * 105 )) || fail "cache-to-cache latency $v, configured $pingpong"
  echo "ok: cache-to-cache latency $v cycles (configured $pingpong)"
fi
exit 0
