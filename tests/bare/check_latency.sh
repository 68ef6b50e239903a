#!/usr/bin/env bash
# Checks a bare-metal latency benchmark's output against the configured
# latencies (within 5%); used by run_checked.sh --check.
#   check_latency.sh chase:L1,L2,MEM OUTPUT   pointer_chase's plateaus, cycles per load
#   check_latency.sh ping-pong:C2C OUTPUT     ping_pong's cache-to-cache latency
set -uo pipefail
what=$1 out=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
case "$what" in
  chase:*)
    IFS=, read -r l1 l2 mem <<<"${what#chase:}"
    declare -A got=()
    # "chase 8192 bytes: 2.00 cycles per load": cycles per load x100 by size.
    while read -r _ size _ whole frac _; do got[$size]=$((10#$whole * 100 + 10#$frac)); done \
      < <(grep -E '^chase [0-9]+ bytes: [0-9]+\.[0-9]{2} cycles per load$' "$out" | tr '.' ' ')
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
    ;;
  ping-pong:*)
    c2c=${what#ping-pong:}
    v=$(sed -n 's/^c2c latency \([0-9]*\) cycles$/\1/p' "$out")
    [[ -n "$v" ]] || fail "ping-pong printed no latency"
    (( v * 100 >= c2c * 95 && v * 100 <= c2c * 105 )) || fail "cache-to-cache latency $v, configured $c2c"
    echo "ok: cache-to-cache latency $v cycles (configured $c2c)"
    ;;
  *) fail "unknown check $what" ;;
esac
