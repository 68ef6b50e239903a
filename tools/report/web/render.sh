#!/usr/bin/env bash
# Renders a dusim page (report.html, sweep.html) in headless Chromium:
# Debian's chromium, offline (every host name resolves to nothing, so a page
# that needed the network would show it), a fresh profile each time.
#   render.sh dom PAGE.html OUT.html         the DOM once the plots are drawn, with what each drew (<pre id="drawn">)
#   render.sh png PAGE.html OUT.png [WIDTH]  a screenshot of the whole page (default 1200 px wide)
set -euo pipefail
mode=$1 page=$(realpath "$2") out=$3 width=${4:-1200}
command -v chromium > /dev/null || { echo "render.sh: chromium is not installed (./dusim test installs it)" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  # As root Chromium needs --no-sandbox; the rest keeps it from phoning home.
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --hide-scrollbars --virtual-time-budget=20000 "$@" 2> "$profile/chromium.log"
}
case "$mode" in
  dom)
    chrome --dump-dom "file://$page#selftest" > "$out" || { cat "$profile/chromium.log" >&2; exit 1; }
    [[ -s "$out" ]] || { cat "$profile/chromium.log" >&2; echo "render.sh: chromium rendered nothing" >&2; exit 1; }
    ;;
  png)
    # The page's height, from a first rendering, so the screenshot holds it all.
    height=$(chrome --window-size="$width,1000" --dump-dom "file://$page#selftest" |
             sed -n 's/.*<pre id="drawn"[^>]*data-height="\([0-9]*\)".*/\1/p' | head -1)
    [[ -n "$height" ]] || { echo "render.sh: $page did not finish drawing" >&2; exit 1; }
    chrome --window-size="$width,$height" --screenshot="$out" "file://$page" > /dev/null ||
      { cat "$profile/chromium.log" >&2; exit 1; }
    ;;
  *) echo "usage: render.sh dom|png PAGE OUT [WIDTH]" >&2; exit 2 ;;
esac
