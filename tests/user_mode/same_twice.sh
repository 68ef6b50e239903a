#!/usr/bin/env bash
# same_twice.sh COMMAND...: runs COMMAND twice; both runs must exit 0 and print the same.
a=$("$@" 2>&1) || { echo "FAIL: first run exited $?"; echo "$a"; exit 1; }
b=$("$@" 2>&1) || { echo "FAIL: second run exited $?"; echo "$b"; exit 1; }
[[ "$a" == "$b" ]] || { echo "FAIL: two runs differ:"; diff <(echo "$a") <(echo "$b"); exit 1; }
echo "ok: two runs print the same: $a"
