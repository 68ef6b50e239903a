#!/usr/bin/env bash
# Each malformed scenario in bad/ is refused, by validate and by run, with
# exit code 125 and the message its first line expects ("# expect: REGEX").
#   check_bad.sh DUSIM BAD_DIR
set -uo pipefail
dusim=$1 bad=$2
failures=0
for f in "$bad"/*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$f")
  for cmd in validate run; do
    out=$("$dusim" $cmd "$f" 2>&1); rc=$?
    if [[ $rc -ne 125 ]]; then
      echo "FAIL: $cmd $f: exit $rc, expected 125: $out"; failures=$((failures + 1))
    elif ! grep -Ezq -- "$want" <<<"$out"; then
      echo "FAIL: $cmd $f: '$out' does not match /$want/"; failures=$((failures + 1))
    else
      echo "ok: $cmd refused $(basename "$f"): $(head -1 <<<"$out")"
    fi
  done
done
exit $((failures > 0))
