#!/usr/bin/env bash
# On a terminal (a pseudo-terminal from script(1)), `run` shows a progress
# line; the guest's console lines must each start a line of their own, never
# glued after the progress text; with -q there is no progress line.
#   check_progress.sh DUSIM SCENARIO
set -uo pipefail
dusim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v script > /dev/null || fail "script(1) is missing (Debian: bsdutils)"
TERM=xterm script -qefc "$dusim run '$scenario' --out '$dir/r' --no-summary" "$dir/tty.log" > /dev/null
rc=$?
[[ $rc -eq 0 ]] || fail "run exited $rc"
python3 - "$dir/tty.log" <<'PY' || exit 1
import sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
if "% simulated" not in raw and "%) simulated" not in raw and "simulated (" not in raw:
    print("FAIL: no progress line on a terminal"); sys.exit(1)
# What the terminal shows, line by line: a carriage return moves to column
# 0, ESC[K erases from the cursor to the end of the line, other characters
# overwrite. The guest's console lines (the kernel's start-up and the
# module service) must each be shown from column 0, not after the progress
# text.
def screen(text):
    lines, cur, col = [], [], 0
    i = 0
    while i < len(text):
        if text.startswith("\x1b[K", i):
            del cur[col:]
            i += 3
            continue
        c = text[i]
        i += 1
        if c == "\n":
            lines.append("".join(cur)); cur, col = [], 0
        elif c == "\r":
            col = 0
        else:
            if col < len(cur): cur[col] = c
            else: cur.append(c)
            col += 1
    return lines + ["".join(cur)]
markers = ["dusim kernel:", "boot: ", "workload page_alloc", "module 1: init returned"]
console = [l for l in screen(raw) if any(m in l for m in markers)]
if len(console) < len(markers):
    print("FAIL: the console lines are missing: %r" % console); sys.exit(1)
for l in console:
    if not any(l.startswith(m) for m in markers):
        print("FAIL: a console line is glued to the progress line: %r" % l); sys.exit(1)
print("ok: %d console lines, each on a line of its own beside the progress line" % len(console))
PY
TERM=xterm script -qefc "$dusim run '$scenario' --out '$dir/q' -q" "$dir/quiet.log" > /dev/null
rc=$?
[[ $rc -eq 0 ]] || fail "run -q exited $rc"
grep -q "simulated (" "$dir/quiet.log" && fail "run -q shows a progress line"
echo "ok: no progress line with -q"
