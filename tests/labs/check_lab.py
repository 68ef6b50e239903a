#!/usr/bin/env python3
"""Grades one lab as a student would, from a temporary folder, and holds the
grader to what it must say (ctest label `labs`, tests/labs/CMakeLists.txt).

  check_lab.py DUSIM N starter|reference|wrong --score S [--fails NAME ...]

starter: the untouched starter; reference: tests/labs/solutions/N/ copied
over it; wrong: tests/labs/wrong/N/. The score must be S, exactly the tests
named by --fails must fail (with a message naming what was expected, what
was measured, the variant and a report that exists, and their messages kept
in results/tests/), the exit code must be 0 at full marks and 123 below,
and the results JSON must hold every test's points, outcome and message.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def slug(name):
    return "".join(c.lower() if c.isalnum() else "-" for c in name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dusim")
    ap.add_argument("lab", type=int)
    ap.add_argument("mode", choices=["starter", "reference", "wrong"])
    ap.add_argument("--score", type=int, required=True)
    ap.add_argument("--fails", nargs="*", default=[])
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="dusim-lab%d-" % a.lab)
    try:
        r = subprocess.run([a.dusim, "lab", "start", str(a.lab), "--work", work], capture_output=True, text=True)
        if r.returncode != 0:
            fail("lab start exited %d: %s" % (r.returncode, r.stdout + r.stderr))
        mine = os.path.join(work, str(a.lab))
        if a.mode != "starter":
            src = os.path.join(HERE, "solutions" if a.mode == "reference" else "wrong", str(a.lab))
            names = sorted(os.listdir(src))
            if not names:
                fail("no files in " + src)
            for n in names:
                if not os.path.exists(os.path.join(mine, n)):
                    fail("%s/%s replaces no starter file" % (src, n))
                shutil.copy(os.path.join(src, n), os.path.join(mine, n))
        results = os.path.join(work, "results.json")
        t0 = time.monotonic()
        r = subprocess.run([a.dusim, "lab", "check", str(a.lab), "--work", work, "--results", results],
                           capture_output=True, text=True)
        host = time.monotonic() - t0
        print(r.stdout + r.stderr)
        print("host time of lab check %d (%s): %.1f s" % (a.lab, a.mode, host))
        if not os.path.exists(results):
            fail("no results JSON (exit code %d)" % r.returncode)
        res = json.load(open(results))
        full = res["max_points"]
        if res["score"] != a.score:
            fail("score %d, expected %d" % (res["score"], a.score))
        want_rc = 0 if a.score == full else 123
        if r.returncode != want_rc:
            fail("exit code %d at %d/%d, expected %d" % (r.returncode, a.score, full, want_rc))
        names = [t["name"] for t in res["tests"]]
        for f in a.fails:
            if f not in names:
                fail("no test named '%s' (tests: %s)" % (f, names))
        for t in res["tests"]:
            for k in ("name", "points", "max_points", "outcome", "message", "variants"):
                if k not in t:
                    fail("test '%s' has no '%s' in the results JSON" % (t.get("name"), k))
            should_fail = t["name"] in a.fails
            if should_fail:
                if t["outcome"] == "pass" or t["points"] != 0:
                    fail("test '%s' should fail, got %s with %d points" % (t["name"], t["outcome"], t["points"]))
                m = t["message"]
                if t["outcome"] == "fail":
                    if not re.search(r"expected .+, measured .+, on variant cpus=\d+ seed=\d+ quantum=\d+, open (\S+)", m):
                        fail("test '%s': message does not say expected/measured/variant/report: %s" % (t["name"], m))
                    for path in re.findall(r", open (\S+)", m):
                        if not os.path.exists(path):
                            fail("test '%s': the message names %s, which does not exist" % (t["name"], path))
                kept = os.path.join(mine, "results", "tests", slug(t["name"]) + ".txt")
                if not os.path.exists(kept):
                    fail("test '%s': its failure output was not kept in %s" % (t["name"], kept))
                if t["message"].split("\n")[0] not in open(kept).read():
                    fail("test '%s': %s does not hold its message" % (t["name"], kept))
            else:
                if t["outcome"] != "pass" or t["points"] != t["max_points"]:
                    fail("test '%s' should pass, got %s (%s)" % (t["name"], t["outcome"], t["message"]))
        print("ok: lab %d %s scored %d/%d" % (a.lab, a.mode, res["score"], full))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
