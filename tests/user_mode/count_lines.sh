#!/usr/bin/env bash
# count_lines.sh WORD=N FILE: WORD occurs on exactly N lines of FILE (for run_checked.sh --check).
word=${1%%=*} want=${1#*=}
got=$(grep -c -- "$word" "$2")
[[ $got -eq $want ]] || { echo "'$word' on $got lines, expected $want" >&2; exit 1; }
