#!/usr/bin/env python3
"""What sweep.html drew, checked against sweep.json.

  check_sweep_page.py SWEEP_DIR DOM.html KEY1 KEY2

Per quantity (each update's latency and longest blocked call, each metric):
one marker per variant that has a value, at its value; failed variants as
red crosses; the x axis labelled with KEY1's values, one series (legend
entry) per value of KEY2, each on its own; axes with titles and ticks.
"""
import html
import json
import re
import sys

sweep_dir, dom_file, key1, key2 = sys.argv[1:5]
rows = json.load(open(sweep_dir + "/sweep.json"))
dom = open(dom_file).read()
bad = []


def need(cond, what):
    if not cond:
        bad.append(what)
    return cond


m = re.search(r'<pre id="drawn" hidden[^>]*>(.*?)</pre>', dom, re.S)
if not need(m, "the page wrote no drawn summary"):
    print("FAIL:", bad[0])
    sys.exit(1)
drawn = json.loads(html.unescape(m.group(1)))
updates = [u["name"] for u in rows[0]["updates"]]
metrics = list(rows[0]["metrics"].keys())
need(len(drawn) == 2 * len(updates) + len(metrics), "%d plots for %d updates and %d metrics" % (len(drawn), len(updates), len(metrics)))


def values(row, plot):
    if plot.startswith("plot-update-"):
        k, what = int(plot.split("-")[2]), plot.split("-")[3]
        v = row["updates"][k]["latency_ns" if what == "latency" else "blocked_max_ns"]
        return None if v is None else v / 1e3
    k = int(plot.split("-")[2])
    return row["metrics"].get(metrics[k])


series = sorted({"%s=%s" % (key2, r[key2]) for r in rows})
for name, plot in drawn.items():
    need("error" not in plot, "%s: %s" % (name, plot.get("error")))
    marks = plot.get("marks", {})
    points, crosses = marks.get("points_marks", []), marks.get("failed_marks", [])
    want = {r["variant"]: values(r, name) for r in rows if values(r, name) is not None}
    got = {p["datum"]["variant"]: p["datum"]["value"] for p in points + crosses}
    need(set(got) == set(want), "%s: markers for %s, values for %s" % (name, sorted(got), sorted(want)))
    need(all(abs(got[v] - want[v]) < 1e-6 * max(1, abs(want[v])) for v in got if v in want), "%s: a marker is not at its value" % name)
    failed = {r["variant"] for r in rows if r["exit_code"] != 0 and r["variant"] in want}
    need({c["datum"]["variant"] for c in crosses} == failed, "%s: crosses for %s, failed variants %s"
         % (name, sorted(c["datum"]["variant"] for c in crosses), sorted(failed)))
    need(all(c.get("shape") == "cross" and c.get("fill") == "#d62728" for c in crosses), "%s: failed variants are not red crosses" % name)
    axes = {a["title"]: a for a in plot["axes"] if a["title"]}
    need(key1 in axes and sorted(axes[key1]["labels"]) == sorted({r[key1] for r in rows}),
         "%s: the x axis is not %s's values: %s" % (name, key1, axes.get(key1)))
    ytitles = [t for t in axes if t != key1]
    need(ytitles and axes[ytitles[0]]["ticks"] >= 2, "%s: no y axis with ticks" % name)
    if name.startswith("plot-update-"):
        need(ytitles and "(µs)" in ytitles[0], "%s: the y axis has no unit: %s" % (name, ytitles))
    need(any(sorted(l["labels"]) == series for l in plot["legends"]),
         "%s: the legend is not one entry per %s value %s: %s" % (name, key2, series, [l["labels"] for l in plot["legends"]]))
table = re.search(r'<table id="variants-table">.*?<tbody>(.*?)</tbody>', dom, re.S)
trs = re.findall(r"<tr( class=\"bad\")?>(.*?)</tr>", table.group(1), re.S) if table else []
need(len(trs) == len(rows), "variants table: %d rows for %d variants" % (len(trs), len(rows)))
for (cls, tr), r in zip(trs, rows):
    need(bool(cls) == (r["exit_code"] != 0), "variants table: %s not marked as it ended (%d)" % (r["variant"], r["exit_code"]))
    if r["failed_checks"]:
        need("expected" in html.unescape(tr), "variants table: %s does not say which check failed" % r["variant"])
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
print("ok: sweep.html: %d plots, every variant a marker at its value, %d failed marked" % (len(drawn), sum(r["exit_code"] != 0 for r in rows)))
