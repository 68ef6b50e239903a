#!/usr/bin/env python3
"""Seed sessions for the gdb_packet fuzz target: what GDB sends in the tests
(tests/gdb/gdb_test.py, test_session.cpp), framed with correct checksums;
the last byte of each file picks the fuzz target's chunk size."""
import os
import sys


def pkt(p):
    return b"$" + p + b"#%02x" % (sum(p) % 256)


SESSIONS = {
    "attach": [b"qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+", b"vMustReplyEmpty", b"QStartNoAckMode",
               b"Hg0", b"qXfer:features:read:target.xml:0,ffb", b"qTStatus", b"?", b"qfThreadInfo", b"qsThreadInfo",
               b"qAttached", b"Hc-1", b"qC", b"g", b"qOffsets", b"qSymbol::"],
    "memory": [b"QStartNoAckMode", b"m10000000,40", b"m0,8", b"mffffffffffffffff,10", b"M10010000,4:deadbeef",
               b"X10010000,2:\x7d\x03\x7d\x5d", b"m10010000,4", b"p40", b"P40=0000000010000100", b"p1", b"pffff"],
    "points": [b"Z0,10000100,4", b"z0,10000100,4", b"Z2,10010000,8", b"Z3,10010000,4", b"Z4,10010000,1",
               b"z2,10010000,8", b"Z1,10000100,4", b"vCont?", b"vCont;s:1", b"s", b"vCont;c", b"c"],
    "threads": [b"QStartNoAckMode", b"T1", b"T2", b"Hg1", b"Hc1", b"qThreadExtraInfo,1", b"vCont;s:1;c", b"D"],
    "kill": [b"?", b"g", b"vKill;1", b"k"],
}


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, packets in SESSIONS.items():
        data = b"".join(b"+" + pkt(p) for p in packets)
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data + bytes([7]))
    # Framing oddities: a bad checksum, an interrupt, a packet cut by another.
    with open(os.path.join(out, "seed-framing"), "wb") as f:
        f.write(b"$g#00-+\x03$m0,4$?#3f+$" + b"x" * 100 + b"#00" + bytes([0]))


if __name__ == "__main__":
    main(sys.argv[1])
