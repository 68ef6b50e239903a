#!/usr/bin/env python3
"""The windows of two_updates.yaml, from its report: each metric counts the
calls of its window, and the windows' bounds are the updates' times.

  check_windows.py REPORT.json
"""
import json
import sys

r = json.load(open(sys.argv[1]))
m, d = r["metrics"], r["metric_definitions"]
first, second = r["updates"]
bad = []


def need(cond, what):
    if not cond:
        bad.append(what)


need(first["status"] == second["status"] == "applied", "updates %s, %s" % (first["status"], second["status"]))
need(d["calls_before_first"]["from_ns"] == 0 and d["calls_before_first"]["to_ns"] == first["requested_ns"], "before:first bounds")
need(d["calls_between"]["from_ns"] == first["completed_ns"] + 1 and d["calls_between"]["to_ns"] == second["requested_ns"],
     "between:first:second is %s..%s, not from the first's end %s to the second's delivery %s"
     % (d["calls_between"]["from_ns"], d["calls_between"]["to_ns"], first["completed_ns"], second["requested_ns"]))
need(d["calls_after_second"]["from_ns"] == second["completed_ns"] + 1, "after:second bounds")
need(d["calls_in_range"]["from_ns"] == 200000 and d["calls_in_range"]["to_ns"] == 300000, "from_ms/to_ms bounds")
need(0 < m["calls_before_first"] < m["calls_before_second"] < m["calls_all"], "before:first < before:second < all")
need(0 < m["calls_after_second"] < m["calls_after_first"] < m["calls_all"], "after:second < after:first < all")
need(0 < m["calls_between"] < m["calls_after_first"] and m["calls_between"] < m["calls_before_second"], "between inside both")
# The calls in the 100 µs range are about a third of the 250 µs between the updates.
need(0.25 < m["calls_in_range"] / m["calls_between"] < 0.55, "calls_in_range %s vs between %s" % (m["calls_in_range"], m["calls_between"]))
need(d["calls_between"]["window"] == "between:first:second" and "between the end of update first" in d["calls_between"]["meaning"],
     "the definition says %s" % d["calls_between"])
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
print("ok: windows before:/between:/after: and from_ms/to_ms count what they should (%d calls between)" % m["calls_between"])
