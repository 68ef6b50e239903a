#!/usr/bin/env bash
# tools/exit_codes.h is the single source of the tool's exit codes; README.md's
# "Exit codes" table must list each of them, and nothing the header lacks.
#   check_exit_codes.sh ROOT
set -uo pipefail
root=$1
python3 - "$root/tools/exit_codes.h" "$root/README.md" <<'PY'
import re, signal, sys
header, readme = open(sys.argv[1]).read(), open(sys.argv[2]).read()
codes = {}
for name, value in re.findall(r"constexpr int (k\w+) = ([^;]+);", header):
    value = re.sub(r"SIG[A-Z]+", lambda m: str(int(getattr(signal, m.group(0)))), value)
    codes[name] = eval(value, {"__builtins__": {}})
table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
listed = set()
for first in re.findall(r"^\| ([^|]+) \|", table, re.M):
    listed |= {int(c) for c in re.findall(r"\b\d+\b", first) if "+" not in first}
ok = True
for name, code in sorted(codes.items(), key=lambda kv: kv[1]):
    if code not in listed:
        print("FAIL: %s = %d (tools/exit_codes.h) is not in README.md's exit-code table" % (name, code)); ok = False
for code in sorted(listed - set(codes.values())):
    print("FAIL: README.md lists exit code %d, which tools/exit_codes.h does not define" % code); ok = False
if not ok: sys.exit(1)
print("ok: %d exit codes, the same in tools/exit_codes.h and README.md" % len(codes))
PY
