#!/usr/bin/env bash
# Every config in configs/ validates; every file in bad/ is refused with
# exit code 125 and the message its first line expects ("# expect: REGEX").
#   check_configs.sh DUSIM CONFIG_DIR BAD_DIR
set -uo pipefail
dusim=$1 configs=$2 bad=$3
failures=0
for f in "$configs"/*.yaml; do
  if ! out=$("$dusim" validate "$f" 2>&1); then
    echo "FAIL: $f should validate: $out"; failures=$((failures + 1))
  else
    echo "ok: $out"
  fi
done
for f in "$bad"/*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$f")
  out=$("$dusim" validate "$f" 2>&1); rc=$?
  if [[ $rc -ne 125 ]]; then
    echo "FAIL: $f: exit code $rc, expected 125 ($out)"; failures=$((failures + 1))
  elif ! grep -Eq -- "$want" <<<"$out"; then
    echo "FAIL: $f: message '$out' does not match /$want/"; failures=$((failures + 1))
  else
    echo "ok: refused: $out"
  fi
done
# run-bare with a bad config refuses before booting.
out=$("$dusim" run-bare /dev/null --config "$bad/unknown_key.yaml" 2>&1); rc=$?
if [[ $rc -ne 125 ]] || ! grep -q "unknown key" <<<"$out"; then
  echo "FAIL: run-bare with a bad config: exit $rc: $out"; failures=$((failures + 1))
fi
exit $((failures > 0))
