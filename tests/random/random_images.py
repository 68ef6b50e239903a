#!/usr/bin/env python3
"""Random and mutated guest images on run-elf and run-bare: none may harm the host.

Each image is one of
  random   uniformly random instruction words after a preamble that points
           registers at RAM and the devices (so loads and stores land there);
  opcodes  real instruction words (from the shipped test programs' code) with
           their register and immediate fields randomised, after the preamble;
  mutated  a real test program or bare image with 1-64 bytes changed (mostly
           in its code, sometimes in its headers).
Each run must end in a fault report (exit 126 with the report on stderr), a
limit (124), the guest's own exit, or a clear refusal of the image (125,
"dusim: FILE: reason") -- never a host signal, a sanitizer report, an
unexplained error, a hang past --timeout seconds or more than --rss-mib of
host memory (resident size, polled; with --as-limit also an address-space
limit, which an ASan build cannot have). Failing images are kept in --keep.

  random_images.py --dusim build/tools/dusim --mode bare --cpus 2,4,64 --count 100 --seed 1 \\
      --programs build/guest/tests/bare
"""
import argparse
import collections
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

HOST_ERRORS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "terminate called", "dusim: error:",
               "Segmentation fault", "std::bad_alloc")
FAULT_MARK = "fault"  # every fault report names the fault (sim/cpu_ppc64/fault_report.cc)
# run-elf's report when every thread is blocked for ever (exit 126, README's
# exit codes): each thread with its wait and PC instead of one CPU's fault.
DEADLOCK_MARK = "deadlock: every thread is blocked"


def be32(x):
    return struct.pack(">I", x & 0xffffffff)


def elf(segment, base, entry_off):
    """A static ELFv1 ppc64 executable: one RWX PT_LOAD holding the whole file at `base`."""
    phoff, ehsize, phentsize = 64, 64, 56
    body = bytearray(segment)
    ehdr = b"\x7fELF" + bytes([2, 2, 1, 0]) + bytes(8)
    ehdr += struct.pack(">HHIQQQIHHHHHH", 2, 21, 1, base + entry_off, phoff, 0, 1, ehsize, phentsize, 1, 64, 0, 0)
    phdr = struct.pack(">IIQQQQQQ", 1, 7, 0, base, base, len(body), len(body) + 0x10000, 0x10000)
    body[0:len(ehdr)] = ehdr
    body[phoff:phoff + len(phdr)] = phdr
    return bytes(body)


def text_words(path):
    """The words of an ELF's executable PT_LOAD segments."""
    d = open(path, "rb").read()
    if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 2:
        return []
    phoff, = struct.unpack(">Q", d[32:40])
    phnum, = struct.unpack(">H", d[56:58])
    words = []
    for k in range(phnum):
        typ, flags, off, _, _, filesz = struct.unpack(">IIQQQQ", d[phoff + 56 * k:phoff + 56 * k + 40])
        if typ == 1 and flags & 1:
            seg = d[off:off + filesz]
            words += [w for w, in struct.iter_unpack(">I", seg[:len(seg) // 4 * 4]) if w]
    return words


def preamble(rng, targets):
    """lis/ori/sldi sequences putting interesting addresses into r3..r12."""
    out = []
    for r in range(3, 13):
        a = rng.choice(targets) + rng.randrange(0, 0x1000, 8)
        hi, lo = (a >> 16) & 0xffff, a & 0xffff
        out += [0x3c000000 | r << 21 | hi,             # lis r, hi (sign-extends: fixed below)
                0x60000000 | r << 21 | r << 16 | lo,   # ori r, r, lo
                0x78000000 | r << 21 | r << 16 | 0x20 | 0x0]  # rldicl r, r, 0, 32: clear the upper word
    return out


def code_image(rng, kind, mode, corpus_words):
    base = 0x10000000 if mode == "elf" else 0x4000
    ram = [base, base + 0x10000, base + 0x20000]
    targets = ram + ([0xf0000000, 0xf0001000, 0xf0002000, 0xf0003000, 0x1fff0000, 0x100] if mode == "bare" else
                     [0x0, 0x7fff0000, 0xfffff000])
    words = preamble(rng, targets)
    n = rng.randrange(16, 1024)
    if kind == "random":
        words += [rng.getrandbits(32) for _ in range(n)]
    else:
        for _ in range(n):
            w = rng.choice(corpus_words) if corpus_words else rng.getrandbits(32)
            words.append(w ^ (rng.getrandbits(26) & rng.choice([0x03ff0000, 0x001fffff, 0x03ffffff, 0x0000fffc])))
    if mode == "elf" and rng.random() < 0.5:  # system calls with whatever the registers hold
        for _ in range(rng.randrange(1, 8)):
            words.insert(rng.randrange(len(words)), 0x44000002)
    seg = bytearray(0x200)
    seg[0x100:0x118] = struct.pack(">QQQ", base + 0x200, base + 0x8000, 0)  # the entry descriptor
    seg += b"".join(be32(w) for w in words)
    return elf(bytes(seg), base, 0x100)


def code_ranges(d):
    """File ranges of an ELF's executable PT_LOAD segments."""
    try:
        phoff, = struct.unpack(">Q", d[32:40])
        phnum, = struct.unpack(">H", d[56:58])
        out = []
        for k in range(phnum):
            typ, flags, off, _, _, filesz = struct.unpack(">IIQQQQ", d[phoff + 56 * k:phoff + 56 * k + 40])
            if typ == 1 and flags & 1 and filesz and off + filesz <= len(d):
                out.append((off, off + filesz))
        return out
    except struct.error:
        return []


def mutated_image(rng, programs):
    """A real image with 1-64 bytes changed: in its code (60%), its first 512
    bytes (the ELF and program headers, 25%) or anywhere (15%)."""
    src = rng.choice(programs)
    d = bytearray(open(src, "rb").read())
    code = code_ranges(d)
    where = rng.random()
    for _ in range(rng.randrange(1, 65)):
        if where < 0.6 and code:
            lo, hi = rng.choice(code)
            at = rng.randrange(lo, hi)
        elif where < 0.85:
            at = rng.randrange(0, min(len(d), 0x200))
        else:
            at = rng.randrange(len(d))
        d[at] = rng.getrandbits(8) if rng.random() < 0.5 else d[at] ^ (1 << rng.randrange(8))
    return bytes(d), os.path.basename(src)


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_one(cmd, timeout, rss_limit_kib, as_limit):
    def limits():
        if as_limit:
            resource.setrlimit(resource.RLIMIT_AS, (as_limit, as_limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits)
    peak = [0]
    killed = [None]

    def watch():
        while p.poll() is None:
            r = rss_kib(p.pid)
            peak[0] = max(peak[0], r)
            if r > rss_limit_kib:
                killed[0] = "rss"
                p.kill()
                return
            if time.monotonic() - start > timeout:
                killed[0] = "hang"
                p.kill()
                return
            time.sleep(0.02)
    w = threading.Thread(target=watch)
    w.start()
    out, err = p.communicate()
    w.join()
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace"), peak[0], killed[0], \
        time.monotonic() - start


def classify(rc, err, killed, image):
    if killed == "hang":
        return "FAIL:hang"
    if killed == "rss":
        return "FAIL:memory"
    if rc < 0:
        return "FAIL:signal " + signal.Signals(-rc).name
    for e in HOST_ERRORS:
        if e in err:
            return "FAIL:" + e
    if rc == 126:
        return "fault" if FAULT_MARK in err.lower() or DEADLOCK_MARK in err else "FAIL:exit 126 without a fault report"
    if rc == 124:
        return "limit"
    if rc == 125:
        # A refusal names the image it refuses: anything else (the host
        # could not reserve memory, say) refused nothing about the image.
        return "refused" if err.startswith("dusim: " + image) else "FAIL:exit 125 not naming the image"
    return "exit"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dusim", required=True)
    ap.add_argument("--mode", choices=["elf", "bare"], required=True)
    ap.add_argument("--cpus", default="2,4,64")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--programs", action="append", default=[], help="folder of real images (mutation sources)")
    ap.add_argument("--kinds", default="random,opcodes,mutated")
    ap.add_argument("--timeout", type=float, default=120, help="host seconds per run")
    ap.add_argument("--rss-mib", type=int, default=2048)
    ap.add_argument("--as-limit-mib", type=int, default=0, help="RLIMIT_AS per run (not with ASan)")
    ap.add_argument("--max-insns", type=int, default=200000, help="run-elf's limit")
    ap.add_argument("--max-ms", type=int, default=1, help="run-bare's limit (simulated ms)")
    ap.add_argument("--clock-mhz", type=int, default=50, help="run-bare's clock (fewer cycles per ms)")
    ap.add_argument("--keep", default="", help="folder for failing images")
    ap.add_argument("--verbose", action="store_true", help="one line per image")
    ap.add_argument("--row", default="", help="append the run's figures to this file as a Markdown table row")
    ap.add_argument("--label", default="", help="the row's first cell (the build folder)")
    a = ap.parse_args()

    programs = []
    for d in a.programs:
        programs += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".elf"))
    programs = [p for p in programs if os.path.getsize(p) < (4 << 20)]
    corpus_words = []
    for p in programs[:20]:
        corpus_words += text_words(p)
    kinds = [k for k in a.kinds.split(",") if k != "mutated" or programs]
    cpus = [int(c) for c in a.cpus.split(",")]
    tmp = tempfile.mkdtemp(prefix="dusim-random-")
    counts = collections.Counter()
    by_kind = collections.Counter()
    failures = []
    peak_rss = 0
    slowest = 0.0
    t0 = time.monotonic()
    try:
        for i in range(a.count):
            rng = random.Random(a.seed * 1_000_003 + i)
            kind = kinds[i % len(kinds)]
            n = cpus[(i // len(kinds)) % len(cpus)]
            if kind == "mutated":
                img, src = mutated_image(rng, programs)
                what = f"{kind}({src})"
            else:
                img = code_image(rng, kind, a.mode, corpus_words)
                what = kind
            path = os.path.join(tmp, f"{a.mode}-{a.seed}-{i}.elf")
            with open(path, "wb") as f:
                f.write(img)
            if a.mode == "elf":
                cmd = [a.dusim, "-q", "run-elf", "--cpus", str(n), "--max-insns", str(a.max_insns), path]
            else:
                cmd = [a.dusim, "-q", "run-bare", path, "--cpus", str(n), "--max-ms", str(a.max_ms),
                       "--set", f"machine.clock_mhz={a.clock_mhz}"]
            rc, out, err, rss, killed, secs = run_one(cmd, a.timeout, a.rss_mib * 1024,
                                                      a.as_limit_mib << 20 if a.as_limit_mib else 0)
            peak_rss = max(peak_rss, rss)
            slowest = max(slowest, secs)
            outcome = classify(rc, err, killed, path)
            counts[outcome.split(" ")[0] if not outcome.startswith("FAIL") else "FAIL"] += 1
            by_kind[kind.split("(")[0] + " " + (outcome if not outcome.startswith("FAIL") else "FAIL")] += 1
            if a.verbose:
                print(f"  {i} {what} {n} CPUs: {outcome} (exit {rc}, {secs:.2f} s): {err.strip().splitlines()[:1]}")
            if outcome.startswith("FAIL"):
                failures.append((i, what, n, rc, outcome, err[-2000:]))
                if a.keep:
                    os.makedirs(a.keep, exist_ok=True)
                    shutil.copy(path, a.keep)
            os.unlink(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = time.monotonic() - t0
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{a.mode} seed {a.seed} cpus {a.cpus}: {a.count} images: {summary}; "
          f"peak RSS {peak_rss // 1024} MiB, slowest {slowest:.1f} s, total {total:.0f} s")
    print("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
    if a.row:
        cells = [a.label or os.path.basename(os.path.dirname(os.path.dirname(a.dusim))), f"run-{a.mode}", a.cpus.replace(",", ", "),
                 str(a.count)] + [str(counts[k]) for k in ("fault", "limit", "exit", "refused", "FAIL")] + \
                [str(peak_rss // 1024), f"{slowest:.1f}", f"{total:.0f}"]
        with open(a.row, "a") as f:
            f.write("| " + " | ".join(cells) + " |\n")
    for i, what, n, rc, outcome, err in failures:
        print(f"  image {i} ({what}, {n} CPUs): exit {rc}: {outcome}\n    " + err.strip().replace("\n", "\n    "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
