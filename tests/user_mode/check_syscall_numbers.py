#!/usr/bin/env python3
"""check_syscall_numbers.py DEF HEADER — every ppc64 system call of the
kernel headers (asm/unistd_64.h of the cross toolchain) has exactly its line
in syscalls.def, with the same number, and the .def names nothing else."""
import re
import sys

def_path, header_path = sys.argv[1], sys.argv[2]
table = {}
for n, line in enumerate(open(def_path), 1):
    m = re.match(r"SYSCALL\((\d+), (\w+), (\w+), (\w+), \"(.*)\"\)$", line)
    if line.startswith("SYSCALL") and not m:
        sys.exit(f"{def_path}:{n}: malformed line: {line.strip()}")
    if m:
        nr, name, status = int(m.group(1)), m.group(2), m.group(3)
        if status not in ("Implemented", "Partial", "NoSys", "Missing"):
            sys.exit(f"{def_path}:{n}: unknown status {status}")
        if (status in ("Missing", "NoSys")) != (m.group(4) == "none"):
            sys.exit(f"{def_path}:{n}: {name}: Missing and NoSys entries, and only they, have handler none")
        if name in table:
            sys.exit(f"{def_path}:{n}: {name} listed twice")
        table[name] = nr
kernel = {}
for line in open(header_path):
    m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
    if m:
        kernel[m.group(1)] = int(m.group(2))
bad = [f"{k}: kernel {v}, table {table.get(k)}" for k, v in sorted(kernel.items()) if table.get(k) != v]
bad += [f"{k}: not a ppc64 system call" for k in sorted(set(table) - set(kernel))]
for b in bad:
    print("MISMATCH", b)
print(f"{len(table)} entries, {len(kernel)} kernel system calls, {len(bad)} mismatches")
sys.exit(1 if bad else 0)
