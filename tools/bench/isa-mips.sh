#!/usr/bin/env bash
# Benchmark (prints figures; not a test): speed of `dusim run-elf` beside
# qemu-ppc64 on the same CPU-bound static ppc64 programs, built at -O2 for the
# default CPU by the guest build (sources in tests/isa/programs):
#   bench_sha256  SHA-256 over a 4 MiB buffer, ROUNDS times   (default 32 rounds)
#   bench_sort    quicksort of 1M 64-bit keys with a comparator (default 8 rounds)
# Both machines do the same work, so the instruction count that dusim reports
# (--stats) serves for both; seconds are wall-clock seconds of the whole run
# (the best of --repeat runs). MIPS = instructions / seconds / 1e6; the ratio
# is dusim's MIPS over qemu's. Both runs' outputs must agree.
#
#   tools/bench/isa-mips.sh [--scale F] [--repeat N] [--no-build]
#     --scale F    multiply the default rounds by F (e.g. 0.25 for a quick look)
#     --repeat N   run each program N times on each machine, keep the fastest
#     --no-build   use the existing build (DUSIM_BUILD_DIR, default build/)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="${DUSIM_BUILD_DIR:-$root/build}"
scale=1 repeat=1 do_build=1
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "isa-mips.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if ((do_build)); then
  "$root/dusim" --help > /dev/null   # installs missing packages and builds
fi
dusim="$build/tools/dusim"
dir="$build/guest/tests/isa/programs"
qemu=$(command -v qemu-ppc64) || { echo "isa-mips.sh: qemu-ppc64 not found (apt-get install qemu-user)" >&2; exit 1; }
for f in "$dusim" "$dir/bench_sha256-O2-default.elf" "$dir/bench_sort-O2-default.elf"; do
  [[ -e $f ]] || { echo "isa-mips.sh: $f is missing: build first (./dusim test, or drop --no-build)" >&2; exit 1; }
done

rounds() { awk -v d="$1" -v s="$scale" 'BEGIN { r = int(d * s + 0.5); print (r < 1 ? 1 : r) }'; }
now() { date +%s.%N; }
work=$(mktemp -d "${TMPDIR:-/tmp}/isa-mips.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf '%-14s %8s %14s %10s %10s %10s %10s %8s %12s\n' program rounds instructions "dusim s" "dusim MIPS" \
  "qemu s" "qemu MIPS" ratio "dusim self"
run_one() {  # run_one NAME DEFAULT_ROUNDS
  local name=$1 r elf best_d="" best_q="" t0 t1 insns="" self=""
  r=$(rounds "$2")
  elf="$dir/$name-O2-default.elf"
  for ((i = 0; i < repeat; i++)); do
    t0=$(now)
    "$dusim" run-elf --stats "$elf" "$r" > "$work/dusim.out" 2> "$work/dusim.err" || {
      echo "isa-mips.sh: dusim failed on $name (exit $?):" >&2; cat "$work/dusim.err" >&2; exit 1; }
    t1=$(now)
    best_d=$(awk -v a="$t0" -v b="$t1" -v best="$best_d" 'BEGIN { t = b - a; print (best == "" || t < best) ? t : best }')
    t0=$(now)
    "$qemu" "$elf" "$r" > "$work/qemu.out" || { echo "isa-mips.sh: qemu-ppc64 failed on $name" >&2; exit 1; }
    t1=$(now)
    best_q=$(awk -v a="$t0" -v b="$t1" -v best="$best_q" 'BEGIN { t = b - a; print (best == "" || t < best) ? t : best }')
    if ! cmp -s "$work/dusim.out" "$work/qemu.out"; then
      echo "isa-mips.sh: $name printed different output on dusim and qemu-ppc64:" >&2
      diff "$work/qemu.out" "$work/dusim.out" >&2 || true
      exit 1
    fi
  done
  insns=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' "$work/dusim.err" | tail -n 1)
  self=$(sed -n 's/.*mips=\([0-9.]*\).*/\1/p' "$work/dusim.err" | tail -n 1)
  [[ -n $insns ]] || { echo "isa-mips.sh: no instructions=N in dusim --stats output" >&2; exit 1; }
  awk -v n="$name" -v r="$r" -v i="$insns" -v d="$best_d" -v q="$best_q" -v s="${self:--}" 'BEGIN {
    dm = i / d / 1e6; qm = i / q / 1e6
    printf "%-14s %8d %14.0f %10.2f %10.1f %10.2f %10.1f %7.3fx %12s\n", n, r, i, d, dm, q, qm, dm / qm, s
  }'
}
run_one bench_sha256 32
run_one bench_sort 8
echo "(seconds: wall clock, best of $repeat; instructions: dusim --stats, the same work on both;"
echo " ratio: dusim MIPS / qemu MIPS; dusim self: the MIPS dusim reports, its own host time)"
echo "host: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
