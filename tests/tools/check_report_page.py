#!/usr/bin/env python3
"""What report.html drew, checked against the report's own numbers.

  check_report_page.py REPORT_DIR DOM.html

DOM.html is the page as headless Chromium left it (tools/report/web/
render.sh dom): the tables as written, and in <pre id="drawn"> what each
plot drew, read from Vega's rendered scene graph (every mark's position,
colour and datum; every axis's title, ticks and labels; every legend).
"""
import html
import json
import math
import re
import sys
from collections import Counter

failures = []


def need(cond, what):
    if not cond:
        failures.append(what)
    return cond


def table_rows(dom, table_id):
    m = re.search(r'<table id="%s">.*?<tbody>(.*?)</tbody>' % re.escape(table_id), dom, re.S)
    if not need(m, "no table %s" % table_id):
        return []
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S)]


def text(cell):
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").strip()


def near(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def axis(plot, title_part):
    for a in plot["axes"]:
        if a["title"] and title_part in a["title"]:
            return a
    need(False, "no axis titled ...%s... (axes: %s)" % (title_part, [a["title"] for a in plot["axes"]]))
    return {"ticks": 0, "labels": [], "title": ""}


def number(label):
    return float(label.replace(",", "").replace("\u2212", "-"))


def check_timeline(k, u, plot, calls, palette, run_end_ns):
    marks = plot["marks"]
    bars = marks.get("phases_marks", [])
    phases = [b for b in bars if b["datum"]["kind"] == "phase"]
    blocked = [b for b in bars if b["datum"]["kind"] == "blocked call"]
    envelopes = marks.get("envelopes_marks", [])
    want_env = [p for p in u["phases"] if p["name"] in palette["envelopes"]]
    want_phases = [p for p in u["phases"] if p["name"] not in palette["envelopes"]]
    key = lambda name, cpu, obj, s, e: (name, cpu, obj, round(s, 3), round(e, 3))
    drawn = Counter(key(b["datum"]["name"], b["datum"]["cpu"], b["datum"]["object"], b["datum"]["start_us"], b["datum"]["end_us"])
                    for b in phases)
    want = Counter(key(p["name"], p["cpu"], p["object"], p["start_ns"] / 1e3, p["end_ns"] / 1e3) for p in want_phases)
    need(drawn == want, "timeline %d: the phase bars are not the report's phases (%d drawn, %d in the report; %s)"
         % (k, sum(drawn.values()), sum(want.values()), list((drawn - want).items())[:3] or list((want - drawn).items())[:3]))
    need(sorted(e["datum"]["name"] for e in envelopes) == sorted(p["name"] for p in want_env),
         "timeline %d: envelope brackets %s, the report's envelopes %s"
         % (k, sorted(e["datum"]["name"] for e in envelopes), sorted(p["name"] for p in want_env)))
    need(len(blocked) == u["blocked_calls"]["count"] == len(calls),
         "timeline %d: %d blocked-call bars, the report says %d, the trace has %d" % (k, len(blocked), u["blocked_calls"]["count"], len(calls)))
    if blocked:
        need(near(max(b["datum"]["duration_us"] for b in blocked), u["blocked_calls"]["max_ns"] / 1e3, 1e-3),
             "timeline %d: the longest blocked-call bar is not blocked_calls.max_ns" % k)
    # Every phase visible: at least 2 px wide; in the phase palette; hovering names it.
    for b in bars:
        d = b["datum"]
        need(set(b.get("tooltip", [])) >= {"phase", "CPU", "object", "start (µs)", "duration (µs)"},
             "timeline %d: hovering %s shows %s" % (k, d["name"], b.get("tooltip")))
        need(b.get("width", 0) >= 1.99, "timeline %d: %s at %.3f us is %.2f px wide: invisible" % (k, d["name"], d["start_us"], b.get("width", 0)))
        need(b.get("fill") == palette["colours"][d["name"]], "timeline %d: %s drawn in %s, its colour is %s"
             % (k, d["name"], b.get("fill"), palette["colours"][d["name"]]))
    for e in envelopes:
        need(e.get("stroke") == palette["colours"][e["datum"]["name"]], "timeline %d: envelope %s in the wrong colour" % (k, e["datum"]["name"]))
    # Envelopes in lanes of their own, never over their children; blocked calls too.
    lane_y = {}
    for b in bars + envelopes:
        lane_y.setdefault(b["datum"]["lane"], set()).add(round(b["y"] if "height" in b else b["y"]))
    env_lanes = {e["datum"]["lane"] for e in envelopes}
    work_lanes = {b["datum"]["lane"] for b in phases}
    block_lanes = {b["datum"]["lane"] for b in blocked}
    need(not (env_lanes & work_lanes) and not (block_lanes & work_lanes) and not (env_lanes & block_lanes),
         "timeline %d: envelopes, phases and blocked calls share lanes" % k)
    need(all("envelope" in l for l in env_lanes) and all("phases" in l for l in work_lanes) and all("blocked" in l for l in block_lanes),
         "timeline %d: lanes are not named for what they hold" % k)
    # Within one lane, nothing hides anything else.
    by_lane = {}
    for b in phases + blocked:
        by_lane.setdefault(b["datum"]["lane"], []).append((b["datum"]["start_us"], b["datum"]["end_us"]))
    for lane, spans in by_lane.items():
        spans.sort()
        need(all(a[1] <= b[0] + 1e-9 for a, b in zip(spans, spans[1:])), "timeline %d: phases overlap in lane %s" % (k, lane))
    # Positions follow time.
    xs = sorted((b["datum"]["start_us"], b["x"]) for b in phases)
    need(all(a[1] <= b[1] + 0.01 for a, b in zip(xs, xs[1:])), "timeline %d: bars are not placed in time order" % k)
    # Absolute-time axis in µs with ticks and labels inside the update's span.
    ax = axis(plot, "µs")
    need(ax["ticks"] >= 5 and len(ax["labels"]) >= 5, "timeline %d: the time axis has %d ticks" % (k, ax["ticks"]))
    lo, hi = u["requested_ns"] / 1e3, (u["completed_ns"] or run_end_ns) / 1e3
    labels = [number(l) for l in ax["labels"]]
    need(lo - (hi - lo) <= min(labels) and max(labels) <= hi + (hi - lo), "timeline %d: tick labels %s are not absolute times near %.1f-%.1f us"
         % (k, ax["labels"], lo, hi))
    # Delivery and end marked where they happened.
    rules = marks.get("events_marks", [])
    need(len(rules) == (2 if u["completed_ns"] else 1), "timeline %d: %d event rules" % (k, len(rules)))
    ts = sorted(r["datum"]["t"] for r in rules)
    need(near(ts[0], lo) and (not u["completed_ns"] or near(ts[-1], hi)), "timeline %d: delivery/end marked at %s" % (k, ts))
    need(any("delivered" in t["text"] for t in marks.get("event_labels_marks", [])), "timeline %d: delivery not labelled" % k)
    # The legend names the phases.
    need(any(l["title"] == "phase" and "INIT" in l["labels"] and "blocked call" in l["labels"] for l in plot["legends"]),
         "timeline %d: no phase legend" % k)


def check_traffic(r, plot, trace):
    lines = plot["marks"].get("lines_marks", [])
    counters = [e for e in trace["traceEvents"] if e.get("ph") == "C"]
    want, since = {}, {}
    last = {}
    for e in counters:
        prev = last.get(e["name"], 0)
        last[e["name"]] = e["ts"]
        if e["ts"] > prev:
            want[(e["name"].replace("traffic ", ""), e["ts"])] = e["args"]["misses"] / (e["ts"] - prev)
            since[(e["name"].replace("traffic ", ""), e["ts"])] = prev
    drawn = {(l["datum"]["cpu"], l["datum"]["time_us"]): l["datum"]["per_us"] for l in lines}
    need(set(drawn) == set(want), "traffic: %d points drawn, %d samples in the trace" % (len(drawn), len(want)))
    need(all(near(drawn[k], want[k], 1e-3) for k in drawn if k in want), "traffic: a point's value is not its sample's misses per µs")
    cpus = r["machine"]["cpus"]
    need(any(l["title"] == "CPU" and len(l["labels"]) == cpus for l in plot["legends"]), "traffic: no legend with the %d CPUs" % cpus)
    ay = axis(plot, "per µs")
    need(ay["ticks"] >= 3, "traffic: the y axis has %d ticks" % ay["ticks"])
    ax = axis(plot, "µs")
    need(ax["ticks"] >= 5, "traffic: the time axis has %d ticks" % ax["ticks"])
    # Windows: each update from delivery to end, and the start-up.
    windows = plot["marks"].get("windows_marks", [])
    for u in r["updates"]:
        end = (u["completed_ns"] or r["run"]["end_ns"]) / 1e3
        need(any(w["datum"]["what"] == "update " + u["name"] and near(w["datum"]["from_us"], u["requested_ns"] / 1e3)
                 and near(w["datum"]["to_us"], end) for w in windows), "traffic: update %s's window is not shaded" % u["name"])
    startup = [w for w in windows if w["datum"]["what"] == "start-up"]
    if need(startup, "traffic: no start-up window"):
        # The scale is set by the samples after the start-up; a start-up peak above them runs off the top.
        top = max(number(l) for l in ay["labels"])
        end = startup[0]["datum"]["to_us"]
        after = max(v for k, v in want.items() if since[k] >= end)
        boot = max([v for k, v in want.items() if since[k] < end] or [0])
        need(0.5 * after <= top <= 1.08 * after, "traffic: the y axis tops out at %s, the largest rate after start-up is %.3f" % (top, after))
        need(boot <= after or boot > top, "traffic: the start-up's peak %.3f is on the scale (top %s)" % (boot, top))


def check_rates(r, plot):
    keys = {"L1 misses": "misses", "invalidations": "invalidations", "cache-to-cache transfers": "c2c_transfers",
            "bus transactions": "bus_transactions"}
    bars = plot["marks"].get("bars_marks", [])
    values = plot["marks"].get("values_marks", [])
    windows = [w for w in ("before", "during", "after") if r["coherence"][w]["end_ns"] > r["coherence"][w]["start_ns"]]
    need(len(bars) == 4 * len(windows) == len(values), "rates: %d bars, %d values for %d windows" % (len(bars), len(values), len(windows)))
    for b in bars:
        w = b["datum"]["window"].split(" ")[0]
        need(near(b["datum"]["per_us"], r["coherence"][w]["per_us"][keys[b["datum"]["counter"]]]),
             "rates: the %s %s bar is not the report's rate" % (w, b["datum"]["counter"]))
    for v in values:
        # The page rounds a tie (145.125) half up, as JavaScript does; Python rounds it to even.
        x = v["datum"]["per_us"]
        need(v["text"] in ("{:,.2f}".format(x), "{:,.2f}".format(x + 1e-9)),
             "rates: a bar is labelled %s, its value is %s" % (v["text"], x))
    need(axis(plot, "per µs")["ticks"] >= 3, "rates: no y axis with ticks")
    need(any(l["title"] == "window" and len(l["labels"]) == len(windows) for l in plot["legends"]), "rates: no window legend")


def check_blocked(k, u, plot, calls):
    bars = plot["marks"].get("histogram_marks", plot["marks"].get("marks", []))
    counts = [b["datum"].get("__count", b["datum"].get("count_*", 0)) for b in bars]
    need(sum(counts) == u["blocked_calls"]["count"] == len(calls), "blocked %d: the histogram holds %d calls, the report %d"
         % (k, sum(counts), u["blocked_calls"]["count"]))
    ax = axis(plot, "µs")
    need(ax["ticks"] >= 3 and ax["labels"], "blocked %d: the bins have no ticks" % k)
    need(axis(plot, "calls")["ticks"] >= 2, "blocked %d: no count axis" % k)


def check_tables(r, dom, calls_by_update):
    checks = table_rows(dom, "checks-table")
    need(len(checks) == len(r["checks"]), "checks table: %d rows for %d checks" % (len(checks), len(r["checks"])))
    for row, c in zip(checks, r["checks"]):
        need(text(row[0]) == ("PASS" if c["passed"] else "FAIL") and text(row[1]) == c["name"] and text(row[3]) == c["actual"],
             "checks table: row %s does not say %s" % ([text(x) for x in row], c["name"]))
    objects = table_rows(dom, "objects-table") if r["objects"] else []
    need(len(objects) == len(r["objects"]), "objects table: %d rows for %d objects" % (len(objects), len(r["objects"])))
    for row, o in zip(objects, r["objects"]):
        need(text(row[0]) == o["name"] and int(text(row[5]).replace(",", "")) == o["c2c_transfers"]
             and int(text(row[8]).replace(",", "")) == o["stall_cycles"], "objects table: %s's row %s" % (o["name"], [text(x) for x in row]))
    metrics = table_rows(dom, "metrics-table") if r["metrics"] else []
    need(len(metrics) == len(r["metrics"]), "metrics table: %d rows for %d metrics" % (len(metrics), len(r["metrics"])))
    for row, (name, value) in zip(metrics, r["metrics"].items()):
        need(text(row[0]) == name and text(row[2]) == r["metric_definitions"][name]["unit"] and text(row[2]),
             "metrics table: %s has no unit (%s)" % (name, [text(x) for x in row]))
    for k, u in enumerate(r["updates"]):
        rows = table_rows(dom, "phases-%d" % k)
        if len(u["phases"]) <= 40:
            need(len(rows) == len(u["phases"]), "phases table %d: %d rows for %d phases" % (k, len(rows), len(u["phases"])))
            starts = [number(text(x[0]).replace(" µs", "")) for x in rows]
            need(starts == sorted(starts), "phases table %d: not in time order" % k)
        else:
            need(sum(int(text(x[3]).replace(",", "")) for x in rows) == len(u["phases"]), "phases table %d: the groups do not add up" % k)
        if 0 < len(calls_by_update[k]) <= 12:
            need(len(table_rows(dom, "blocked-%d" % k)) == len(calls_by_update[k]), "blocked table %d: not one row per call" % k)


def main(folder, dom_file):
    r = json.load(open(folder + "/report.json"))
    trace = json.load(open(folder + "/trace.json"))
    page = open(folder + "/report.html").read()
    dom = open(dom_file).read()
    # One file: no element outside the scripts' code, and no script tag, names another file or a URL.
    outside = re.sub(r"(<script[^>]*>).*?</script>", r"\1", page, flags=re.S)
    need(not re.search(r"<[a-z]+[^>]+(src|href)=\"(?!#)", outside), "report.html loads a file or a URL")
    m = re.search(r'<pre id="drawn" hidden[^>]*>(.*?)</pre>', dom, re.S)
    if not need(m, "the page wrote no <pre id=\"drawn\">: its script did not finish"):
        return
    drawn = json.loads(html.unescape(m.group(1)))
    for name, plot in drawn.items():
        need("error" not in plot, "plot %s failed: %s" % (name, plot.get("error")))
    palette = {"colours": trace["otherData"]["phase_colours"], "envelopes": {"INIT", "INSTANCE_SWAPS", "FACTORY_SWAP"}}
    calls = [e for e in trace["traceEvents"] if e.get("cat") == "blocked"]
    by_update = [[c for c in calls if c["args"]["update"] == k + 1] for k in range(len(r["updates"]))]
    for k, u in enumerate(r["updates"]):
        if need("plot-timeline-%d" % k in drawn, "no timeline for update %d" % k):
            check_timeline(k, u, drawn["plot-timeline-%d" % k], by_update[k], palette, r["run"]["end_ns"])
        if len(by_update[k]) > 12 and need("plot-blocked-%d" % k in drawn, "no blocked-call histogram for update %d" % k):
            check_blocked(k, u, drawn["plot-blocked-%d" % k], by_update[k])
    if need("plot-traffic" in drawn, "no traffic plot"):
        check_traffic(r, drawn["plot-traffic"], trace)
    if need("plot-rates" in drawn, "no rates plot"):
        check_rates(r, drawn["plot-rates"])
    check_tables(r, dom, by_update)
    return "ok: %s: %d plots drawn, each matching report.json and trace.json" % (r["scenario"], len(drawn))


if __name__ == "__main__":
    done = main(sys.argv[1], sys.argv[2])
    for f in failures:
        print("FAIL:", f)
    if failures or not done:
        sys.exit(1)
    print(done)
