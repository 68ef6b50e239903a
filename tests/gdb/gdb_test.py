#!/usr/bin/env python3
"""End-to-end tests of the GDB stub (ctest label `gdb`).

Each case starts `dusim run-elf --gdb 0 guest.elf` (cases bare_*: `dusim
run-bare --cpus 4 --gdb 0 smp_guest.elf`), reads the port the stub chose from its stderr, and drives it with gdb-multiarch in batch mode or with
a small raw protocol client, then checks what GDB printed and how dusim ended.

Case elf_threads runs `dusim run-elf --gdb 0 sys_threads.elf race` (the
user-mode tests' program: two threads made with clone), one GDB thread per
guest thread.

    gdb_test.py --dusim DUSIM --elf GUEST_ELF [--bare-elf IMAGE] [--threads-elf ELF] --gdb GDB CASE
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time

GUEST_TOTAL = 10  # what guest.c computes and exits with
KILLED = 137      # dusim's exit code when GDB kills the guest
BARE_CPUS = 4     # the machine of the bare_* cases
BARE_EXIT = 42    # what smp_guest.c powers off with


class Failure(Exception):
    pass


class Dusim:
    """A `dusim run-elf` process; stdout and stderr are collected by threads."""

    def __init__(self, opts, guest_args=(), extra=(), gdb=True, bare=False, elf=None):
        env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
        if bare:  # guest_args: --arg KEY=VALUE pairs
            argv = [opts.dusim, "run-bare", opts.bare_elf, "--cpus", str(BARE_CPUS), *extra]
            for a in guest_args:
                argv += ["--arg", a]
            if gdb:
                argv += ["--gdb", "0"]
        else:
            argv = [opts.dusim, "run-elf", *extra]
            if gdb:
                argv += ["--gdb", "0"]
            argv += [elf or opts.elf, *guest_args]
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.out, self.err = [], []
        self.port = None
        self.port_seen = threading.Event()
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.out, False), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.err, True), daemon=True).start()
        if gdb:
            if not self.port_seen.wait(20):
                self.proc.kill()
                raise Failure("dusim did not report a port; stderr:\n" + self.stderr())

    def _pump(self, stream, sink, look_for_port):
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace")
            sink.append(line)
            m = re.search(r"waiting for GDB on 127\.0\.0\.1:(\d+)", line)
            if look_for_port and m and self.port is None:
                self.port = int(m.group(1))
                self.port_seen.set()

    def stdout(self):
        return "".join(self.out)

    def stderr(self):
        return "".join(self.err)

    def wait(self, timeout=60):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("dusim did not end; stderr:\n" + self.stderr())
        time.sleep(0.05)  # let the pump threads drain the pipes
        return rc


def run_gdb(opts, port, commands, timeout=120, elf=None):
    argv = [opts.gdb, "-batch", "-nx", "-ex", "set architecture powerpc:common64", "-ex", f"target remote :{port}"]
    for c in commands:
        argv += ["-ex", c]
    argv.append(elf or opts.elf)
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    return r.stdout + r.stderr


class Checks:
    def __init__(self):
        self.failures = []

    def match(self, text, pattern, what, flags=re.M):
        m = re.search(pattern, text, flags)
        if not m:
            self.failures.append(f"{what}: /{pattern}/ not found")
        return m

    def absent(self, text, pattern, what):
        if re.search(pattern, text, re.M):
            self.failures.append(f"{what}: /{pattern}/ should not appear")

    def equal(self, got, want, what):
        if got != want:
            self.failures.append(f"{what}: got {got!r}, want {want!r}")


# ---- a raw client for what GDB itself cannot be made to do on demand ----

class Raw:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, payload):
        body = payload.encode() if isinstance(payload, str) else payload
        self.send_raw(b"$" + body + b"#%02x" % (sum(body) & 0xFF))

    def _fill(self):
        chunk = self.s.recv(65536)
        if not chunk:
            raise Failure("stub closed the connection")
        self.buf += chunk

    def ack(self):
        """The next byte: '+' or '-'."""
        while not self.buf:
            self._fill()
        c, self.buf = self.buf[:1], self.buf[1:]
        return c.decode()

    def packet(self):
        """The next packet's payload (checksum verified); acks it."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                break
            self._fill()
        body, cks = self.buf[start + 1:end], self.buf[end + 1:end + 3]
        self.buf = self.buf[end + 3:]
        if int(cks, 16) != sum(body) & 0xFF:
            raise Failure(f"bad checksum from the stub on {body!r}")
        self.send_raw(b"+")
        return body.decode()

    def request(self, payload):
        self.send(payload)
        a = self.ack()
        if a != "+":
            raise Failure(f"{payload!r} was not acknowledged: {a!r}")
        return self.packet()

    def close(self):
        self.s.close()


def start_gdb_case(opts, guest_args=(), extra=()):
    d = Dusim(opts, guest_args, extra)
    return d, d.port


# ---- the cases ----

def case_break_registers_variables(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, [
        "break add", "continue",
        "info registers",
        "continue",
        "print a", "print b", "print $r4", "print counter", "print/x $msr", "info registers pc lr",
        "kill"])
    c.match(out, r"Breakpoint 1 at 0x[0-9a-f]+: file .*guest\.c", "breakpoint set on add")
    c.match(out, r"Breakpoint 1, add \(a=0, b=0\) at .*guest\.c:\d+", "first hit")
    c.match(out, r"Breakpoint 1, add \(a=0, b=1\) at .*guest\.c:\d+", "second hit")
    for reg in ["r0", "r1", "r31", "pc", "msr", "cr", "lr", "ctr", "xer"]:
        c.match(out, rf"^{reg}\s+0x[0-9a-f]+", f"`info registers` shows {reg}")
    c.match(out, r"^\$1 = 0$", "a == 0")
    c.match(out, r"^\$2 = 1$", "b == 1")
    c.match(out, r"^\$3 = 1$", "r4 holds b")
    c.match(out, r"^\$4 = 1$", "counter == 1 after one call")
    c.match(out, r"^\$5 = 0x8000000000", "MSR has SF (64-bit mode)")
    c.match(out, r"^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <add\+\d+>", "pc is inside add")
    c.match(out, r"^lr\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <total_of\+\d+>", "lr returns into total_of")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_fp_registers(opts, c):
    d, port = start_gdb_case(opts, guest_args=["float"])
    out = run_gdb(opts, port, [
        "break *fp_check", "continue",
        "info registers f1", "print $f2", "print/x $fpscr",
        "set $f2 = 6.5", "print $f2",
        "set $fpscr = 0x3", "print/x $fpscr", "set $fpscr = 0",
        "continue"])
    c.match(out, r"Breakpoint 1, fp_check \(", "stopped at fp_check's first instruction")
    c.match(out, r"^f1\s+0\.33333333333333331\s+\(raw 0x3fd5555555555555\)", "f1 holds 1/3")
    c.match(out, r"^\$1 = 2\.5$", "f2 holds 2.5")
    # 1/3 is inexact: FX, XX and FI set; FPRF says positive normal.
    c.match(out, r"^\$2 = 0x82024000$", "fpscr after the division")
    c.match(out, r"^\$3 = 6\.5$", "f2 written")
    c.match(out, r"^\$4 = 0x3$", "fpscr written and read back")
    c.match(out, r"exited with code 07\]", "the guest used the f2 GDB wrote: (int)(1/3*3 + 6.5) = 7")
    c.equal(d.wait(), 7, "dusim exit code")


def case_step(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, [
        "break total_of", "continue", "next", "next", "step",
        "print/x $pc", "stepi", "print/x $pc",
        "finish", "print add(2, 3)", "print counter", "kill"])
    c.match(out, r"Breakpoint 1, total_of \(n=5\)", "stopped in total_of")
    c.match(out, r"^add \(a=0, b=0\) at .*guest\.c:\d+", "`step` entered add")
    pcs = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
    if len(pcs) == 2:
        c.equal(int(pcs[1], 16) - int(pcs[0], 16), 4, "stepi advances pc by one instruction")
    else:
        c.failures.append(f"expected two pc values, got {pcs}")
    c.match(out, r"^0x[0-9a-f]+ in total_of \(n=5\) at .*guest\.c:\d+\n.*\nValue returned", "finish returns to the caller")
    c.match(out, r"Value returned is \$\d+ = 0", "add(0, 0) returned 0")
    c.match(out, r"^\$\d+ = 5\n\$\d+ = 2$", "GDB can call add(2, 3) in the guest (counter counts it)")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_watchpoints(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, [
        "watch counter", "continue", "info threads", "continue",
        "delete", "rwatch counter", "continue",
        "delete", "awatch last_sum", "continue",
        "delete", "continue"])
    c.match(out, r"Hardware watchpoint 1: counter\s+Old value = 0\s+New value = 1\s+add \(a=0, b=0\)",
            "watch: first write")
    c.match(out, r"^\*\s+1\s+Thread 1 \(tid 1000\)", "the writing thread is thread 1 (the first guest thread)")
    c.match(out, r"Hardware watchpoint 1: counter\s+Old value = 1\s+New value = 2\s+add \(a=0, b=1\)",
            "watch: second write")
    c.match(out, r"Hardware read watchpoint 2: counter\s+Value = 2\s+.*add \(a=1, b=2\)", "rwatch: a read")
    c.match(out, r"Hardware access \(read/write\) watchpoint 3: last_sum\s+Old value = 1\s+New value = 3",
            "awatch: a write")
    c.match(out, r"exited with code 012", "ran to the end after deleting the watchpoints")
    c.equal(d.wait(), GUEST_TOTAL, "dusim exit code")


def case_threads(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, ["info threads", "thread 1", "thread 2", "kill"])
    threads = re.findall(r"^\*?\s+\d+\s+Thread \d+ \(tid \d+\)", out, re.M)
    c.equal(len(threads), 1, "threads listed (one per guest thread; this program has one)")
    c.match(out, r"Switching to thread 1", "thread 1 exists")
    c.match(out, r"Invalid thread ID: 2|Unknown thread 2", "thread 2 does not")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_elf_threads(opts, c):
    plain = Dusim(opts, guest_args=["race"], extra=["--stats"], gdb=False, elf=opts.threads_elf)
    c.equal(plain.wait(), 0, "exit code without GDB")
    d = Dusim(opts, guest_args=["race"], extra=["--stats"], elf=opts.threads_elf)
    out = run_gdb(opts, d.port, ["break *race", "continue", "info threads", "continue", "info threads",
                                 "delete", "break exit", "continue", "info threads",
                                 "delete", "continue"], elf=opts.threads_elf)
    c.match(out, r"Thread 2 hit Breakpoint 1, (0x[0-9a-f]+ in )?race \(\)", "the first new thread reaches race()")
    c.match(out, r"Thread 3 hit Breakpoint 1, (0x[0-9a-f]+ in )?race \(\)", "then the second")
    c.match(out, r"^\s+1\s+Thread 1 \(tid 1000\)[^\n]*\n\*\s+2\s+Thread 2 \(tid 1001\)[^\n]*race",
            "two threads listed at the first stop, thread 2 selected")
    c.match(out, r"^\*\s+3\s+Thread 3 \(tid 1002\)[^\n]*race", "three at the second")
    last = out[out.rfind("Breakpoint 2, "):]
    c.match(last, r"^\*\s+1\s+Thread 1 \(tid 1000\)", "at exit(): thread 1")
    c.absent(last, r"Thread [23] \(tid", "the exited threads are no longer listed")
    c.equal(d.wait(), 0, "dusim exit code")
    c.equal(d.stdout(), plain.stdout(), "the racy counter is the same with GDB and breakpoints")
    c.equal(stats_of(d.stderr()), stats_of(plain.stderr()), "instructions and cycles are the same with GDB")


def case_exit_code(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, ["continue", "print $_exitcode"])
    c.match(out, r"\[Inferior 1 \(.*\) exited with code 012\]", "GDB sees the exit")
    c.match(out, rf"^\$1 = {GUEST_TOTAL}$", "$_exitcode")
    c.equal(d.wait(), GUEST_TOTAL, "dusim exit code")
    c.match(d.stdout(), rf"gdb guest: total={GUEST_TOTAL}", "guest output")


def case_fault(opts, c):
    d, port = start_gdb_case(opts, guest_args=["fault"])
    out = run_gdb(opts, port, ["continue", "print $pc", "kill"])
    c.match(out, r"Program received signal SIGSEGV", "GDB sees SIGSEGV")
    c.match(out, r"guest fault on cpu 0: store outside memory at 0x0", "the report reaches GDB's console")
    c.match(out, r"^\$1 = .* <start_c\+\d+>", "pc at the faulting store")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")
    c.match(d.stderr(), r"guest fault on cpu 0: store outside memory at 0x0\n\s+at pc 0x[0-9a-f]+ <start_c",
            "the report on the simulator's side")


def interrupt_running(c, r):
    """Continue the halted machine, let it run, stop it with Ctrl-C; the stop reply."""
    r.send("c")
    c.equal(r.ack(), "+", "continue acknowledged")
    time.sleep(0.5)
    r.send_raw(b"\x03")
    return r.packet()


def check_reconnect(c, d, gdb, exits, exit_code):
    """Plant a breakpoint at the current pc, drop the connection without detaching, then
    check the machine halted, a new session sees no trace of the old one and runs to the end."""
    r = Raw(d.port)
    r.request("?")
    pc = int(r.request("p40"), 16)
    c.equal(r.request(f"Z0,{pc:x},4"), "OK", "breakpoint at the current pc")
    r.close()  # dropped without detaching
    deadline = time.time() + 20
    while "connection to the debugger lost" not in d.stderr() and time.time() < deadline:
        time.sleep(0.05)
    c.match(d.stderr(), r"connection to the debugger lost; machine halted", "halted after the drop")
    c.equal(d.proc.poll(), None, "dusim still running")
    out = gdb(d.port, ["info threads", "info registers pc", "continue"])
    c.absent(out, r"SIGTRAP", "the dropped session's breakpoint is gone")
    c.match(out, exits, "the new session runs the guest to its end")
    c.equal(d.wait(), exit_code, "dusim exit code")


def check_exit_on_disconnect(c, d):
    r = Raw(d.port)
    r.request("?")
    r.close()
    c.equal(d.wait(), KILLED, "the run ends when the connection drops")
    c.match(d.stderr(), r"connection to the debugger lost, ending the run", "message")


def stats_of(text):
    m = re.search(r"instructions=(\d+) cycles=(\d+)", text)
    return m.groups() if m else None


def case_determinism(opts, c):
    plain = Dusim(opts, extra=["--stats"], gdb=False)
    rc = plain.wait()
    want = (rc, plain.stdout(), stats_of(plain.stderr()))
    c.equal(rc, GUEST_TOTAL, "exit code without GDB")
    for label, cmds in [("continue only", ["continue"]),
                        ("with a breakpoint", ["break add", "continue", "delete", "continue"]),
                        ("with a watchpoint", ["watch counter", "continue", "delete", "continue"])]:
        d, port = start_gdb_case(opts, extra=["--stats"])
        run_gdb(opts, port, cmds)
        got = (d.wait(), d.stdout(), stats_of(d.stderr()))
        c.equal(got, want, f"result, output, instructions and cycles with GDB attached ({label})")


def case_interrupt(opts, c):
    d = Dusim(opts, guest_args=["spin"])
    r = Raw(d.port)
    c.equal(r.request("?"), "T05thread:1;", "halted at start")
    c.equal(interrupt_running(c, r), "T02thread:1;", "Ctrl-C stops the machine with SIGINT")
    regs = r.request("g")
    c.equal(len(regs), 2 * 556, "g packet size (r0-r31, f0-f31, pc, msr, cr, lr, ctr, xer, fpscr)")
    counter = r.request("p40")  # pc is still in the spin loop
    c.match(counter, r"^00000000100[0-9a-f]{5}$", "pc inside the program")
    r.send("k")
    r.close()
    c.equal(d.wait(), KILLED, "dusim exit code after k")


def case_malformed(opts, c):
    d = Dusim(opts)
    r = Raw(d.port)
    r.send_raw(b"noise between packets")
    r.send_raw(b"$g#00")
    c.equal(r.ack(), "-", "a bad checksum asks for a resend")
    r.send_raw(b"$g#zz")
    c.equal(r.ack(), "-", "a checksum that is not hex asks for a resend")
    r.send_raw(b"$" + b"m" * 0x5000 + b"#00")
    c.equal(r.ack(), "-", "an overlong packet asks for a resend")
    for bad in ["mzz,4", "m1000", "M10000000,4:zz", "X10000000,4:ab", "Z0,zz,4", "z9x", "p999", "Pzz=0",
                "G1234", "Hx1", "Hg99", "T7", "vCont;x", "vCont;c:zz", "qXfer:features:read:target.xml:zz"]:
        c.equal(r.request(bad), "E01", f"error reply to {bad!r}")
    c.equal(r.request("jfoo"), "", "an unknown packet gets the empty reply")
    c.equal(r.request("qXfer:features:read:other.xml:0,10"), "E00", "unknown annex")
    c.match(r.request("m0,4"), r"^E", "reading unmapped memory is an error")
    c.equal(r.request("qfThreadInfo"), "m1", "the session goes on: thread list")
    c.equal(r.request("qsThreadInfo"), "l", "end of thread list")
    c.equal(r.request("Hg1"), "OK", "select thread 1")
    c.equal(len(r.request("g")), 2 * 556, "registers still readable")
    c.equal(r.request("QStartNoAckMode"), "OK", "no-ack mode")
    r.send("jbar")
    c.equal(r.packet(), "", "no acks after QStartNoAckMode")
    r.send_raw(b"$g#00")
    c.equal(r.packet(), "E01", "without acks a bad checksum gets an error reply")
    r.send("D")
    c.equal(r.packet(), "OK", "detach")
    r.close()
    c.equal(d.wait(), GUEST_TOTAL, "after detach the guest runs to its end")


def case_reconnect(opts, c):
    check_reconnect(c, Dusim(opts), lambda port, cmds: run_gdb(opts, port, cmds),
                    r"exited with code 012", GUEST_TOTAL)


def case_exit_on_disconnect(opts, c):
    check_exit_on_disconnect(c, Dusim(opts, extra=["--gdb-exit-on-disconnect"]))


def case_detach(opts, c):
    d, port = start_gdb_case(opts)
    out = run_gdb(opts, port, ["break add", "continue", "detach"])
    c.match(out, r"Breakpoint 1, add", "stopped at add")
    c.match(out, r"Detaching from program|detached", "GDB detached")
    c.equal(d.wait(), GUEST_TOTAL, "the guest ran on to its end")
    c.match(d.stdout(), rf"total={GUEST_TOTAL}", "guest output")


# ---- run-bare: the SystemC machine, one thread per CPU ----

def start_bare(opts, guest_args=(), extra=()):
    d = Dusim(opts, guest_args, extra, bare=True)
    return d, d.port


def bare_gdb(opts, port, commands, timeout=120):
    return run_gdb(opts, port, commands, timeout, elf=opts.bare_elf)


def case_bare_threads(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, ["info threads", f"thread {BARE_CPUS}", "print/x $r3", "print $r4",
                                f"thread {BARE_CPUS + 1}", "kill"])
    threads = re.findall(r"^\*?\s+\d+\s+Thread \d+ \(CPU \d+\)", out, re.M)
    c.equal(len(threads), BARE_CPUS, "one thread per CPU")
    c.match(out, r"^\*\s+1\s+Thread 1 \(CPU 0\)", "halted at start with CPU 0 selected")
    c.match(out, rf"Switching to thread {BARE_CPUS}", f"thread {BARE_CPUS} exists")
    c.match(out, rf"^\$1 = 0x{BARE_CPUS - 1}$", "r3 of the last CPU is its number (boot protocol)")
    c.match(out, rf"^\$2 = {BARE_CPUS}$", "r4 is the number of CPUs")
    c.match(out, rf"Invalid thread ID: {BARE_CPUS + 1}|Unknown thread {BARE_CPUS + 1}", "no thread beyond the CPUs")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_bare_break_cpu(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, [
        "break cpu1_work", "continue", "info threads", "print n", "print $r3", "print/x $msr",
        "info registers pc", "print results[1]", "print shared_value", "kill"])
    c.match(out, r"Thread 2 .*hit Breakpoint 1, cpu1_work \(n=7\) at .*smp_guest\.c:\d+", "CPU 1 hits cpu1_work")
    c.match(out, r"^\*\s+2\s+Thread 2 \(CPU 1\)", "CPU 1's thread is selected")
    c.match(out, r"^\$1 = 7$", "argument n by name")
    c.match(out, r"^\$2 = 7$", "r3 holds n (ELFv1: first argument)")
    c.match(out, r"^\$3 = 0x8000000000", "MSR has SF")
    c.match(out, r"^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <cpu1_work\+\d+>", "pc inside cpu1_work")
    c.match(out, r"^\$4 = 2646900$", "results[1] holds CPU 1's sum (i*i + 1 for i < 200)")
    c.match(out, r"^\$5 = 0$", "shared_value not written yet")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_bare_step(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, [
        "break cpu1_work", "continue", "delete",
        "thread 3", "print/x $pc", "print/x $r1",
        "thread 2", "print/x $pc", "stepi", "print/x $pc", "next", "next", "print local",
        "thread 3", "print/x $pc", "print/x $r1",
        "thread 2", "finish", "kill"])
    c.match(out, r"hit Breakpoint 1, cpu1_work \(n=7\)", "stopped in cpu1_work on CPU 1")
    vals = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
    if len(vals) == 6:
        c.equal(int(vals[3], 16) - int(vals[2], 16), 4, "stepi advances CPU 1's pc by one instruction")
        c.equal((vals[4], vals[5]), (vals[0], vals[1]), "CPU 2 did not move while CPU 1 stepped")
    else:
        c.failures.append(f"expected six hex values, got {vals}")
    c.match(out, r"^\$\d+ = 21$", "`next` ran `local = n * 3` (local == 21)")
    c.match(out, rf"^bare_main \(cpu=1, ncpus={BARE_CPUS}, .*\n\d+\s+if \(cpu == ncpus - 1\)",
            "finish returns CPU 1 to bare_main")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")


def case_bare_watch_cpu(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, ["watch shared_value", "continue", "info threads", "print $pc",
                                "delete", "rwatch shared_value", "continue", "info threads",
                                "delete", "continue"])
    c.match(out, rf"Hardware watchpoint 1: shared_value\s+Old value = 0\s+New value = {100 + BARE_CPUS - 1}",
            "the write is seen")
    c.match(out, rf"^\*\s+{BARE_CPUS}\s+Thread {BARE_CPUS} \(CPU {BARE_CPUS - 1}\)",
            "the writing CPU (the last) is selected")
    c.match(out, r"^\$1 = .*<write_shared\+\d+>", "stopped in write_shared")
    c.match(out, rf"Thread 1 hit Hardware read watchpoint 2: shared_value\s+Value = {100 + BARE_CPUS - 1}",
            "rwatch: CPU 0 reads it (to print it)")
    c.match(out, r"^\*\s+1\s+Thread 1 \(CPU 0\)", "the reading CPU is selected")
    c.match(out, rf"exited with code 0?{BARE_EXIT:o}\]", "runs to the end after deleting the watchpoint")
    c.equal(d.wait(), BARE_EXIT, "dusim exit code")


def case_bare_exit_code(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, ["continue", "print $_exitcode"])
    c.match(out, rf"\[Inferior 1 \(.*\) exited with code 0?{BARE_EXIT:o}\]", "GDB sees the power-off")
    c.match(out, rf"^\$1 = {BARE_EXIT}$", "$_exitcode")
    c.equal(d.wait(), BARE_EXIT, "dusim exit code")
    c.match(d.stdout(), rf"gdb smp: cpus={BARE_CPUS} shared={100 + BARE_CPUS - 1} total=\d+", "guest output")


def case_bare_translated(opts, c):
    # CPU 1 runs with MSR[DR] on and EA 0x1230000000 mapped onto `backing`;
    # CPU 0 is in real mode, where that address is far outside RAM. GDB
    # reads and writes through the selected thread's translation.
    d, port = start_bare(opts, ["mmu=1"])
    ea = "0x1230000000"
    out = bare_gdb(opts, port, [
        "break translated_stop", "continue", "print/x $msr & 0x30",
        f"x/gx {ea}", "print/x backing[0]", f"set {{long}}({ea} + 8) = 0x5151", "print/x backing[1]",
        "thread 1", f"x/gx {ea}", "thread 2", "delete", "continue"])
    c.match(out, r"Thread 2 .*hit Breakpoint 1, translated_stop", "CPU 1 stops with translation on")
    c.match(out, r"^\$1 = 0x30$", "MSR[IR] and MSR[DR] on")
    c.match(out, rf"^{ea}:\s+0x1122334455667788$", "the effective address reads the page it maps")
    c.match(out, r"^\$2 = 0x1122334455667788$", "the same bytes by their real address")
    c.match(out, r"^\$3 = 0x5151$", "a write through the translation reaches the real page")
    c.match(out, rf"Cannot access memory at address {ea}", "CPU 0 (real mode) sees no such address")
    c.equal(d.wait(), 43, "dusim exit code (the guest saw the debugger's write)")


def case_bare_fault(opts, c):
    d, port = start_bare(opts, ["fault=1"])
    out = bare_gdb(opts, port, ["continue", "info threads", "print $pc", "continue", "kill"])
    c.match(out, r"Thread 3 .*received signal SIGSEGV", "GDB sees SIGSEGV on CPU 2")
    c.match(out, r"guest fault on cpu 2: store outside memory at 0x7000000000", "the report reaches GDB's console")
    c.match(out, r"^\*\s+3\s+Thread 3 \(CPU 2\)", "the faulting CPU is selected")
    c.match(out, r"^\$1 = .* <bad_store\+\d+>", "pc at the faulting store")
    c.equal(d.wait(), KILLED, "dusim exit code after kill")
    c.match(d.stderr(), r"guest fault on cpu 2: store outside memory at 0x7000000000\n\s+at pc 0x[0-9a-f]+ <bad_store",
            "the report on the simulator's side")


def case_bare_determinism(opts, c):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        def run(label, cmds):
            path = os.path.join(tmp, label.replace(" ", "_") + ".json")
            extra = ["--stats-json", path, "--set", "machine.quantum_cycles=100"]
            if cmds is None:
                d = Dusim(opts, ["iters=3000"], extra, gdb=False, bare=True)
            else:
                d, port = start_bare(opts, ["iters=3000"], extra)
                bare_gdb(opts, port, cmds)
            rc = d.wait()
            with open(path) as f:
                return rc, d.stdout(), f.read()
        want = run("plain", None)
        c.equal(want[0], BARE_EXIT, "exit code without GDB")
        c.match(want[1], r"gdb smp: cpus=4", "guest output without GDB")
        for label, cmds in [("continue only", ["continue"]),
                            ("threads and registers first", ["info threads", "thread 3", "info registers",
                                                             "x/4x &results", "continue"])]:
            got = run(label, cmds)
            c.equal(got[0], want[0], f"exit code with GDB attached ({label})")
            c.equal(got[1], want[1], f"console output with GDB attached ({label})")
            c.equal(got[2], want[2], f"--stats-json with GDB attached ({label})")


def case_bare_interrupt(opts, c):
    d, port = start_bare(opts, ["spin=1"])
    r = Raw(port)
    c.equal(r.request("?"), "T05thread:1;", "halted at start")
    c.equal(r.request("qfThreadInfo"), "m" + ",".join(str(n + 1) for n in range(BARE_CPUS)), "thread list")
    c.match(interrupt_running(c, r), r"^T02thread:\d;$", "Ctrl-C stops the machine with SIGINT")
    c.equal(r.request("Hg3"), "OK", "select CPU 2")
    pc = int(r.request("p40"), 16)
    c.equal(pc >= 0x4000 and pc < 0x100000, True, "CPU 2's pc in the image")
    c.equal(r.request("p40"), f"{pc:016x}", "stopped: pc stays put")
    r.send("k")
    r.close()
    c.equal(d.wait(), KILLED, "dusim exit code after k")


def case_bare_reconnect(opts, c):
    d, port = start_bare(opts)
    out = bare_gdb(opts, port, ["break cpu1_work", "continue"])  # batch GDB ends: it detaches
    c.match(out, r"hit Breakpoint 1, cpu1_work", "first session stopped at cpu1_work")
    c.equal(d.wait(), BARE_EXIT, "after GDB detaches the machine runs to its power-off")
    check_reconnect(c, start_bare(opts)[0], lambda port, cmds: bare_gdb(opts, port, cmds),
                    rf"exited with code 0?{BARE_EXIT:o}\]", BARE_EXIT)


def case_bare_exit_on_disconnect(opts, c):
    check_exit_on_disconnect(c, start_bare(opts, extra=["--gdb-exit-on-disconnect"])[0])


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dusim", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--bare-elf", help="the bare-metal image of the bare_* cases")
    ap.add_argument("--threads-elf", help="sys_threads.elf of the user-mode tests (case elf_threads)")
    ap.add_argument("--gdb", default="gdb-multiarch")
    ap.add_argument("case", choices=sorted(CASES))
    opts = ap.parse_args()
    c = Checks()
    try:
        CASES[opts.case](opts, c)
    except (Failure, OSError, subprocess.TimeoutExpired) as e:
        c.failures.append(f"{type(e).__name__}: {e}")
    if c.failures:
        print(f"FAIL {opts.case}:")
        for f in c.failures:
            print("  " + f)
        return 1
    print(f"ok {opts.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
