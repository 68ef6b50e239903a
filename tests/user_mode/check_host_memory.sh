#!/usr/bin/env bash
# What a guest image may make the host allocate (sim/platform/README.md,
# "Machine configs"): a small program whose data segment asks for 16 GiB of
# zero-filled memory (p_memsz) runs as the program itself does, in little
# host memory and time, since untouched memory costs nothing; run-elf of a
# file that is not a regular one (/dev/zero) is refused before it is read.
#   check_host_memory.sh DUSIM HELLO_ELF
set -uo pipefail
dusim=$1 hello=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# hello.elf with its writable PT_LOAD grown to 16 GiB (p_memsz; .bss).
python3 - "$hello" "$dir/huge_bss.elf" <<'PY' || exit 1
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from(">Q", d, 32)
phentsize, phnum = struct.unpack_from(">HH", d, 54)
for k in range(phnum):
    at = phoff + k * phentsize
    ptype, flags = struct.unpack_from(">II", d, at)
    if ptype == 1 and flags & 2:  # PT_LOAD, PF_W
        memsz, = struct.unpack_from(">Q", d, at + 40)
        struct.pack_into(">Q", d, at + 40, 16 << 30)  # p_memsz: 16 GiB
        break
else:
    print("FAIL: no writable PT_LOAD in", sys.argv[1]); sys.exit(1)
open(sys.argv[2], "wb").write(d)
PY
[[ $(stat -c %s "$dir/huge_bss.elf") -lt 1048576 ]] || fail "the test image is not small"
# Its run: the same output and exit code as hello.elf; at most 20 s and
# 512 MiB resident on the host.
python3 - "$dusim" "$hello" "$dir/huge_bss.elf" <<'PY' || exit 1
import resource, subprocess, sys
dusim, hello, huge = sys.argv[1:4]
want = subprocess.run([dusim, "run-elf", hello], capture_output=True, timeout=60)
try:
    got = subprocess.run([dusim, "run-elf", huge], capture_output=True, timeout=20)
except subprocess.TimeoutExpired:
    print("FAIL: run-elf of a 16 GiB .bss took more than 20 s"); sys.exit(1)
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if (got.returncode, got.stdout) != (want.returncode, want.stdout):
    print("FAIL: with a 16 GiB .bss: exit %d, %r; without: exit %d, %r" % (got.returncode, got.stdout, want.returncode, want.stdout))
    print(got.stderr.decode(errors="replace")); sys.exit(1)
if rss_mib > 512:
    print("FAIL: run-elf of a 16 GiB .bss took %.0f MiB of host memory" % rss_mib); sys.exit(1)
print("ok: a 16 GiB .bss runs as hello does, in %.0f MiB of host memory at most" % rss_mib)
PY
out=$(timeout 20 "$dusim" run-elf /dev/zero 2>&1); rc=$?
[[ $rc -eq 125 ]] || fail "run-elf /dev/zero: exit $rc, expected 125: $out"
grep -q "/dev/zero: not a regular file" <<<"$out" || fail "run-elf /dev/zero: $out"
echo "ok: run-elf /dev/zero is refused: $out"
