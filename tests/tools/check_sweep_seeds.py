#!/usr/bin/env python3
"""A seed sweep's tables and page, checked against each other.

  check_sweep_seeds.py SWEEP_DIR DOM.html

sweep.csv read with the csv module as pandas or R would: one row per
variant, every row the header's width, the numeric columns numbers;
sweep-summary.csv's means and 95 % intervals recomputed here from
sweep.csv (Student's t for 2 degrees of freedom: 4.3027); the page draws
only the --plot metrics, a marker per cpus value at the mean and an
interval bar from ci95_low to ci95_high.
"""
import csv
import html
import json
import math
import re
import statistics
import sys

sweep_dir, dom_file = sys.argv[1:3]
bad = []


def need(cond, what):
    if not cond:
        bad.append(what)
    return cond


table = list(csv.reader(open(sweep_dir + "/sweep.csv", newline="")))
head, rows = table[0], table[1:]
need(len(rows) == 6, "sweep.csv: %d rows, expected 2 cpus x 3 seeds" % len(rows))
need(all(len(r) == len(head) for r in rows), "sweep.csv: a row is not as wide as the header")
need(head[:4] == ["variant", "machine.cpus", "seed", "kernel"], "sweep.csv: the key columns are %s" % head[:4])
need(len(set(head)) == len(head), "sweep.csv: a column name repeats")
for col in ["calls_before_events", "calls_after_events", "call_p50_ns_before_ns", "call_max_cycles", "modules_loaded_events"]:
    need(col in head, "sweep.csv: no column %s: %s" % (col, head))
numeric = [c for c in head if c.endswith(("_events", "_ns", "_cycles", "_calls", "seconds")) or c in ("machine.cpus", "seed", "exit_code")]
for r in rows:
    for c in numeric:
        v = r[head.index(c)]
        try:
            v == "" or float(v)
        except ValueError:
            need(False, "sweep.csv: %s = %r is not a number" % (c, v))
need(sorted((r[1], r[2]) for r in rows) == [(c, s) for c in "24" for s in "123"], "sweep.csv: not one row per cpus and seed")

summary = list(csv.DictReader(open(sweep_dir + "/sweep-summary.csv", newline="")))
for s in summary:
    col = s["quantity"]
    if col not in head:
        need(False, "sweep-summary.csv: quantity %s is not a sweep.csv column" % col)
        continue
    xs = [float(r[head.index(col)]) for r in rows if r[1] == s["machine.cpus"] and r[head.index(col)] != ""]
    need(int(s["n"]) == len(xs), "%s cpus=%s: n %s, sweep.csv has %d" % (col, s["machine.cpus"], s["n"], len(xs)))
    mean = statistics.mean(xs)
    half = 4.3027 * statistics.stdev(xs) / math.sqrt(len(xs))
    for k, want in (("mean", mean), ("ci95_low", mean - half), ("ci95_high", mean + half)):
        need(abs(float(s[k]) - want) <= 1e-6 * max(1, abs(want)), "%s cpus=%s: %s %s, expected %s" % (col, s["machine.cpus"], k, s[k], want))
need(any(s["quantity"] == "calls_after_events" and float(s["ci95_high"]) - float(s["ci95_low"]) > 10 for s in summary),
     "sweep-summary.csv has no calls_after_events interval of the seeds' spread")

m = re.search(r'<pre id="drawn" hidden[^>]*>(.*?)</pre>', open(dom_file).read(), re.S)
if not need(m, "the page wrote no drawn summary"):
    print("FAIL:", bad[0])
    sys.exit(1)
drawn = json.loads(html.unescape(m.group(1)))
need(sorted(drawn) == ["plot-metric-0", "plot-metric-1"], "plots drawn: %s, expected the two --plot metrics" % sorted(drawn))
for name, col in (("plot-metric-0", "calls_after_events"), ("plot-metric-1", "call_max_cycles")):
    plot = drawn.get(name, {})
    need("error" not in plot, "%s: %s" % (name, plot.get("error")))
    marks = plot.get("marks", {})
    points, bars = marks.get("points_marks", []), marks.get("intervals_marks", [])
    want = {s["machine.cpus"]: s for s in summary if s["quantity"] == col}
    got = {p["datum"]["x"]: p["datum"] for p in points}
    need(sorted(got) == sorted(want), "%s: markers for cpus %s, expected %s" % (name, sorted(got), sorted(want)))
    for x, d in got.items():
        if x in want:
            need(abs(d["value"] - float(want[x]["mean"])) < 1e-6, "%s cpus=%s: marker at %s, mean %s" % (name, x, d["value"], want[x]["mean"]))
    need(len(bars) == len(want), "%s: %d interval bars for %d means" % (name, len(bars), len(want)))
    for b in bars:
        s = want.get(b["datum"]["x"])
        need(s and abs(b["datum"]["lo"] - float(s["ci95_low"])) < 1e-6 and abs(b["datum"]["hi"] - float(s["ci95_high"])) < 1e-6,
             "%s: a bar is not the interval: %s" % (name, b["datum"]))
    axes = [a["title"] for a in plot.get("axes", []) if a["title"]]
    need("machine.cpus" in axes, "%s: the x axis is not machine.cpus (seed is averaged over): %s" % (name, axes))
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
print("ok: tidy sweep.csv (%d rows), sweep-summary.csv's means and intervals, and the page's %d plots agree" % (len(rows), len(drawn)))
