#!/usr/bin/env bash
# Runs a scenario, renders its report.html in headless Chromium and checks
# every plot's marks and every table against report.json and trace.json
# (check_report_page.py); runs it again and requires the same page apart
# from the host's numbers.
#   check_report_page.sh DUSIM RENDER SCENARIO [dusim run arguments...]
set -uo pipefail
dusim=$1 render=$2 scenario=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dusim" run "$scenario" "$@" --out "$dir/a" -q > "$dir/a.log" 2>&1
rc=$?
[[ $rc -eq 0 ]] || { cat "$dir/a.log"; fail "run exited $rc"; }
"$render" dom "$dir/a/report.html" "$dir/dom.html" || fail "could not render report.html"
python3 "$here/check_report_page.py" "$dir/a" "$dir/dom.html" || exit 1
"$dusim" run "$scenario" "$@" --out "$dir/b" -q > /dev/null 2>&1 || fail "second run exited $?"
host() { sed 's/Host: [0-9.]* s, [0-9.]* MIPS/Host: -/' "$1"; }
cmp -s <(host "$dir/a/report.html") <(host "$dir/b/report.html") || fail "two runs gave different pages (host aside)"
echo "ok: the same page twice, host aside ($(wc -c < "$dir/a/report.html") bytes)"
if [[ "$(basename "$scenario")" == two_updates.yaml ]]; then
  python3 "$here/check_windows.py" "$dir/a/report.json" || exit 1
fi
