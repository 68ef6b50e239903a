#!/usr/bin/env bash
# The aggregate page of `dusim run --seeds`, rendered in headless Chromium:
# every plot draws each seed's value as a point, the mean as a line and the
# 95 % interval as a band, each equal to the aggregate report.json's
# numbers; the spread table has a row per figure.
#   check_seeds_page.sh DUSIM RENDER SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 render=$2 scenario=$3 kernel=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$dusim" run "$scenario" --set kernel="$kernel" --seeds 1-4 --out "$dir/s" -q || { echo "FAIL: run --seeds exited $?"; exit 1; }
"$render" dom "$dir/s/report.html" "$dir/dom.html" || { echo "FAIL: could not render report.html"; exit 1; }
python3 - "$dir/s/report.json" "$dir/dom.html" <<'PY'
import html, json, re, sys
a = json.load(open(sys.argv[1]))
dom = open(sys.argv[2]).read()
m = re.search(r'<pre id="drawn"[^>]*>(.*?)</pre>', dom, re.S)
if not m:
    print("FAIL: the page did not finish drawing"); sys.exit(1)
drawn = json.loads(html.unescape(m.group(1)))
figures = []
for u in a["updates"]:
    figures += [u["latency_ns"], u["blocked_calls"], u["blocked_max_ns"]]
figures += list(a["metrics"].values())
if len(drawn) != len(figures):
    print("FAIL: %d plots drawn, %d figures" % (len(drawn), len(figures))); sys.exit(1)
for k, f in enumerate(figures):
    marks = drawn["plot-seeds-%d" % k]["marks"]
    points = sorted((d["datum"]["seed"], d["datum"]["value"]) for d in marks.get("seeds_marks", []))
    want = sorted((s, v) for s, v in zip(a["seeds"], f["values"]) if v is not None)
    if points != want:
        print("FAIL: plot %d draws %s, the report has %s" % (k, points, want)); sys.exit(1)
    if f["n"]:
        mean = [d["datum"]["mean"] for d in marks["mean_marks"]]
        band = [(d["datum"]["lo"], d["datum"]["hi"]) for d in marks["ci_marks"]]
        if len(mean) != 1 or abs(mean[0] - f["mean"]) > 1e-3 * max(1, abs(f["mean"])):
            print("FAIL: plot %d's mean line %s, the report's mean %s" % (k, mean, f["mean"])); sys.exit(1)
        if len(band) != 1 or any(abs(x - y) > 1e-3 * max(1, abs(y)) for x, y in zip(band[0], f["ci95"])):
            print("FAIL: plot %d's band %s, the report's ci95 %s" % (k, band, f["ci95"])); sys.exit(1)
rows = re.search(r'<table id="spread-table".*?</table>', dom, re.S)
if not rows or rows.group(0).count("<tr") != len(figures) + 1:
    print("FAIL: the spread table does not have a row per figure"); sys.exit(1)
print("ok: %d plots, each seed's point, the mean and the 95 %% band as the report says" % len(figures))
PY
