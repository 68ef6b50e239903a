#!/usr/bin/env bash
# Measures the guest kernel on the test kernel: boot time on 4 and 64 CPUs,
# and the latency of a generation advance on an idle machine versus the CPU
# count, for both protocols (broadcast, the default, and K42's circulating
# token: guest_os/include/kernel/generation.h) at quanta 1000 and 100.
# Prints the tables as Markdown; --readme also writes them into
# guest_os/README.md between its "measure.sh" markers, the only place they
# appear, so they are never edited by hand; --check fails (with a diff) when
# the README's tables are not what this kernel measures (ctest
# guest.readme_figures runs it).
#
#   tests/guest/measure.sh [BUILD_DIR] [--readme | --check]     (default: build)
#   ROUNDS=50 tests/guest/measure.sh build
#
# Boot time is CPU 0's cycle count when every CPU has finished booting (the
# BOOT_DONE event). Advance latency is measured by the guest (test
# gen_latency), ROUNDS advances with no other thread running: "protocol"
# from the begin of an advance on the CPU that starts it to its completion
# on the CPU that drains last (two CPUs' local clocks, which may differ by up
# to one quantum); "observed" from mark() to the return of the waiting
# thread, on one CPU's clock. Simulated figures only: they are the same on
# every host, so rerunning the script on an unchanged kernel changes nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
readme=$root/guest_os/README.md
mode=print
for a in "$@"; do
  case "$a" in
    --readme) mode=write ;;
    --check) mode=check ;;
    *) build=$a ;;
  esac
done
dusim=${DUSIM:-$build/tools/dusim}
kernel=${KERNEL:-$build/guest/tests/guest/test_kernel.elf}
rounds=${ROUNDS:-20}
[[ -x $dusim ]] || { echo "no dusim at $dusim (build it, or set DUSIM)" >&2; exit 1; }
[[ -f $kernel ]] || { echo "no kernel at $kernel (build the guest, or set KERNEL)" >&2; exit 1; }

run() {  # run CPUS QUANTUM ARGS... -> the guest's output
  local n=$1 q=$2
  shift 2
  "$dusim" run-bare "$kernel" --config "$root/configs/power5-${n}cpu.yaml" --set machine.quantum_cycles="$q" "$@" 2>&1 ||
    { echo "measure.sh: the run on $n CPUs failed" >&2; exit 1; }
}
field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$2"; }
cell() { printf "%s (%s)" "$(field "$1_cycles" "$3")" "$(field "$2" "$3")"; }  # "cycles (us)"

table() {
  echo "| CPUs | broadcast, q=1000: protocol | max | observed | token, q=1000: protocol | broadcast, q=100: protocol | token, q=100: protocol |"
  echo "|-----:|------------:|-----:|------------:|-------------:|------------:|-------------:|"
  for n in 1 2 4 8 16 32 64; do
    local row="| $n |" out
    for spec in broadcast:1000 token:1000 broadcast:100 token:100; do
      out=$(run "$n" "${spec#*:}" --arg test=gen_latency --arg rounds="$rounds" --arg quiet=1 \
                --arg gen_protocol="${spec%:*}" | grep -E '^gen_latency:')
      row+=" $(cell mean mean_us "$out") |"
      if [[ $spec == broadcast:1000 ]]; then
        row+=" $(field max_cycles "$out") | $(cell observed_mean observed_mean_us "$out") |"
      fi
    done
    echo "$row"
  done
}

boot() {
  local out
  for n in 4 64; do
    out=$(run "$n" 1000 --arg test=boot | grep -E '^boot: [0-9]+ CPUs up at')
    printf -- "- %s CPUs: %s cycles (%s µs simulated)\n" "$n" "$(sed -E 's/.* up at ([0-9]+) cycles.*/\1/' <<<"$out")" \
      "$(sed -E 's/.*\(([0-9]+) us simulated\).*/\1/' <<<"$out")"
  done
}

block=$(
  echo "Generation advance latency on an idle machine: mean of $rounds advances, cycles (µs at 1.65 GHz); max is the"
  echo "longest of the broadcast advances at q=1000 (the first, on cold caches)."
  echo
  table
  echo
  echo "Boot (quantum 1000), until every CPU is up:"
  echo
  boot
)
echo "$block"
[[ $mode == print ]] && exit 0
python3 - "$readme" "$mode" "$block" <<'PY'
import difflib, sys
path, mode, block = sys.argv[1:]
begin = "<!-- measure.sh: begin (written by tests/guest/measure.sh --readme; do not edit) -->"
end = "<!-- measure.sh: end -->"
text = open(path).read()
if begin not in text or end not in text:
    sys.exit("FAIL: no measure.sh markers in %s" % path)
head, rest = text.split(begin, 1)
old, tail = rest.split(end, 1)
new = "\n" + block + "\n"
if mode == "write":
    open(path, "w").write(head + begin + new + end + tail)
    print("wrote the tables into %s" % path)
elif old != new:
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "README", "measured"))
    sys.exit("FAIL: the figures in %s are not this kernel's: rerun tests/guest/measure.sh build --readme" % path)
else:
    print("ok: the figures in %s are this kernel's" % path)
PY
