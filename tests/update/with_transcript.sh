#!/usr/bin/env bash
# Runs COMMAND with `--events FILE` appended (a dusim run-bare or run command,
# possibly behind tests/run_checked.sh), then, if it passed, compares the
# lifecycle transcript of that event log with GOLDEN (transcript.py).
#   with_transcript.sh GOLDEN -- COMMAND...
# DUSIM_BLESS=1 rewrites GOLDEN from this run instead (on purpose only).
set -uo pipefail
golden=$1
shift
[[ ${1:-} == -- ]] && shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$@" --events "$dir/events.jsonl" || exit $?
python3 "$(dirname "$0")/transcript.py" --check "$golden" "$dir/events.jsonl"
