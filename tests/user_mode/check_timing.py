#!/usr/bin/env python3
"""`dusim run-elf --timing` against miss counts worked out by hand.

  check_timing.py DUSIM TIMING_WALK_ELF [--table]

Runs tests/user_mode/guest/timing_walk.c with 1 and 3 passes over working
sets below and above each cache of configs/power5.yaml (128-byte lines; L1D
32 KiB 4-way, L1I 64 KiB 2-way, L2 1920 KiB 10-way, LRU) and checks what the
two extra passes added: per pass, a working set that fits a cache misses 0
times there; one larger than it, walked in a fixed cyclic order, misses on
every one of its SIZE/128 lines (each set sees more lines in turn than it
has ways). The stall cycles added per pass must be the misses times what
each costs beyond the load's 2 cycles (L2 hit 13, memory 220). --table
prints the measured and hand-counted figures as a Markdown table."""
import json, os, subprocess, sys, tempfile

dusim, elf = sys.argv[1], sys.argv[2]
table = "--table" in sys.argv
LINE, L2_HIT, MEMORY, LOAD = 128, 13, 220, 2
KiB, MiB = 1024, 1024 * 1024

def run(mode, arg, passes):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "stats.json")
        p = subprocess.run([dusim, "run-elf", "--timing", "--stats-json", out, elf, mode, str(arg), str(passes)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            print("FAIL: %s %s %s exited %d\n%s%s" % (mode, arg, passes, p.returncode, p.stdout, p.stderr))
            sys.exit(1)
        if "dusim: timing: cycles=" not in p.stderr or "l1d accesses=" not in p.stderr:
            print("FAIL: no timing lines on stderr:\n" + p.stderr)
            sys.exit(1)
        return json.load(open(out))

# (mode, size, lines per pass, expected per pass: L1D misses, L1I misses, L2 misses, stall cycles)
def expect(mode, size):
    n = size // LINE
    if mode == "code":
        l1i = n if size > 64 * KiB else 0
        return {"l1d": 0, "l1i": l1i, "l2": 0, "stall": l1i * (L2_HIT - 2)}
    l1d = n if size > 32 * KiB else 0
    l2 = n if size > 1920 * KiB else 0
    return {"l1d": l1d, "l1i": 0, "l2": l2, "stall": (l1d - l2) * (L2_HIT - LOAD) + l2 * (MEMORY - LOAD)}

cases = [("stride", 16 * KiB), ("stride", 256 * KiB), ("stride", 4 * MiB),
         ("chase", 16 * KiB), ("chase", 256 * KiB), ("chase", 4 * MiB),
         ("code", "small"), ("code", "big")]
failed = 0
rows = []
for mode, arg in cases:
    size = (32 * KiB if arg == "small" else 128 * KiB) if mode == "code" else arg
    one, three = run(mode, arg, 1), run(mode, arg, 3)
    got = {k: (three[k]["misses"] - one[k]["misses"]) / 2 for k in ("l1d", "l1i", "l2")}
    got["stall"] = (three["stall_cycles"] - one["stall_cycles"]) / 2
    want = expect(mode, size)
    # Within 1 % of the line count (start-up and set-up cancel in the
    # difference; the loop's own stack and code lines stay in the caches).
    slack = max(2, size // LINE // 100)
    before = failed
    for k in ("l1d", "l1i", "l2"):
        if abs(got[k] - want[k]) > slack:
            print("FAIL: %s %s: %s misses per pass %s, by hand %d" % (mode, arg, k, got[k], want[k]))
            failed += 1
    if abs(got["stall"] - want["stall"]) > slack * (MEMORY - LOAD):
        print("FAIL: %s %s: stall cycles per pass %s, by hand %d" % (mode, arg, got["stall"], want["stall"]))
        failed += 1
    cpi = three["cpi"]
    rows.append((mode, arg, size, got, want, cpi, three))
    print("ok" if failed == before else "--", "%s %s: per pass L1D %s (hand %d), L1I %s (%d), L2 %s (%d), stall %s (%d); CPI %.3f at 3 passes"
          % (mode, arg, got["l1d"], want["l1d"], got["l1i"], want["l1i"], got["l2"], want["l2"], got["stall"], want["stall"], cpi))
if table:
    print("\n| program | working set | L1D misses/pass (hand) | L1I misses/pass (hand) | L2 misses/pass (hand) | stall cycles/pass (hand) | CPI, 3 passes |")
    print("|---|---|---|---|---|---|---|")
    for mode, arg, size, got, want, cpi, _ in rows:
        print("| %s | %d KiB | %g (%d) | %g (%d) | %g (%d) | %g (%d) | %.3f |" % (mode, size // KiB, got["l1d"], want["l1d"], got["l1i"],
              want["l1i"], got["l2"], want["l2"], got["stall"], want["stall"], cpi))
sys.exit(1 if failed else 0)
