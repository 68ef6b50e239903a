#!/usr/bin/env bash
# Renders a scenario's report.html in headless Chromium (Debian's chromium,
# offline: the page loads nothing from the network) and checks that every
# plot was drawn: data-drawn > 0, or, for the blocked-call histogram of a run
# with no blocked call, the page says so.
#   check_html.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v chromium > /dev/null || fail "chromium is not installed (./dusim test installs it)"
"$dusim" run "$scenario" --set kernel="$kernel" --out "$dir/r" --no-summary > /dev/null || fail "run exited $?"
grep -q 'src="http\|href="http' "$dir/r/report.html" && fail "report.html refers to the network"
dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$dir/profile" \
  --virtual-time-budget=5000 --dump-dom "file://$dir/r/report.html" 2> "$dir/chromium.log")
[[ -n "$dom" ]] || { cat "$dir/chromium.log"; fail "chromium rendered nothing"; }
drawn() { sed -n "s/.*id=\"plot-$1\"[^>]*data-drawn=\"\([0-9]*\)\".*/\1/p" <<<"$dom" | head -1; }
for plot in timeline traffic compare; do
  n=$(drawn "$plot")
  [[ -n "$n" && "$n" -gt 0 ]] || fail "plot $plot not drawn (data-drawn='$n')"
  echo "ok: plot $plot drew $n marks"
done
n=$(drawn blocked)
if [[ -z "$n" ]]; then fail "plot blocked not rendered"; fi
if [[ "$n" -eq 0 ]]; then grep -q "no call was blocked" <<<"$dom" || fail "blocked plot empty without saying why"; fi
echo "ok: plot blocked: $n marks"
grep -q '>PASS</td>' <<<"$dom" || fail "the checks table was not filled in"
echo "ok: report.html renders in headless Chromium"
