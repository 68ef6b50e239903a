#!/usr/bin/env bash
# Benchmark (prints figures; not a test): Linux programs on the guest OS
# (guest_os/README.md, "Programs").
#  1. the glibc/libstdc++ corpus (-O2, default CPU) as a process on the
#     guest (4 CPUs, mmu=on) against dusim run-elf (--timing: one CPU with
#     the same caches): simulated µs of the program (the guest's from its
#     PROGRAM_START to its PROGRAM_END) and host seconds of the whole run;
#  2. a null system call's round trip from the program (getpid, time base
#     read in problem state) against an empty loop, in cycles;
#  3. both program scenarios at each CPU count (one program thread per CPU):
#     program-process-swap (getpid p50 before/during/after in cycles, calls
#     held, update latency, outputs equal) and program-partitioned-region
#     (fault p50/p99 through the shared and the partitioned region).
# Simulated figures, seed 1, default quantum and sync policy.
#   tools/bench/guest-programs.sh [CPUS...]   (default 1 4 16 64)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
build="${DUSIM_BUILD_DIR:-$root/build}"
dusim="$build/tools/dusim"
kernel="$build/guest/guest_os/kernel.elf"
corpus="$build/guest/tests/user_mode/corpus"
cpus=("$@")
((${#cpus[@]})) || cpus=(1 4 16 64)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
divider=$(sed -n 's/^ *timebase_divider: *\([0-9]*\).*/\1/p' "$root/configs/power5.yaml")

host_s() {  # host_s OUTFILE CMD... -> seconds of CPU time (user + sys) of CMD
  local out=$1
  shift
  /usr/bin/time -f "%U %S" -o "$dir/time" "$@" > "$out" 2>&1 || true
  tail -1 "$dir/time" | awk '{printf "%.2f", $1 + $2}'  # (the line before says when CMD exited non-zero)
}

echo "## 1. The corpus on the guest and under run-elf"
echo
echo "| program | guest: simulated µs | guest: host s (boot included) | run-elf --timing: simulated µs | run-elf --timing: host s |"
echo "|---|---:|---:|---:|---:|"
for name in printf_int printf_double qsort strings malloc setjmp exit abort iostream containers exceptions pthreads cxx_threads; do
  elf="$corpus/$name-O2-default.elf"
  [[ -f $elf ]] || continue
  hg=$(host_s "$dir/g.txt" "$dusim" run-bare "$kernel" --config "$root/configs/power5-4cpu.yaml" --arg mmu=on --arg quiet=1 \
         --file "p=$elf" --arg init=/p --events "$dir/g.ev")
  sim_g=$(python3 - "$dir/g.ev" <<'PY'
import json, sys
start = end = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "PROGRAM_START": start = e["cycles"]
    if e["event"] == "PROGRAM_END": end = e["cycles"]
print("-" if start is None or end is None else "%.0f" % ((end - start) / 1650.0))
PY
)
  he=$(host_s "$dir/e.txt" "$dusim" run-elf --timing "$elf")
  sim_e=$(sed -n 's/^dusim: timing: cycles=\([0-9]*\).*/\1/p' "$dir/e.txt" | awk '{printf "%.0f", $1 / 1650.0}')
  echo "| $name | $sim_g | $hg | $sim_e | $he |"
done

echo
echo "## 2. A null system call from the program"
echo
"$dusim" run-bare "$kernel" --config "$root/configs/power5-4cpu.yaml" --arg mmu=on --arg quiet=1 \
  --file "n=$build/guest/tests/programs/null_syscall.elf" --arg init=/n --arg "init_args=20000" > "$dir/n.txt" 2>&1 || true
awk -v d="$divider" '/^calls/ { printf "getpid round trip: %.0f cycles per call (empty loop %.1f cycles per iteration; %d calls; time base x %d)\n", $6 * d / $2, $4 * d / $2, $2, d }' "$dir/n.txt"

echo
echo "## 3. The program scenarios by CPU count"
echo
echo "| CPUs | swap: getpid p50 before / during / after (cycles) | calls held (max cycles) | update µs | outputs equal | region: faults shared / partitioned | fault p50 shared / partitioned | fault p99 shared / partitioned | host s (swap / region) |"
echo "|---:|---|---|---:|---|---|---|---|---|"
for n in "${cpus[@]}"; do
  mkdir -p "$dir/s$n"
  cp -r "$root/scenarios" "$root/configs" "$dir/s$n/"
  sed -i "s/args: \[4, 3000\]/args: [$n, 3000]/" "$dir/s$n/scenarios/program-process-swap.yaml"
  sed -i "s/args: \[4, 24, 64\]/args: [$n, 24, 64]/" "$dir/s$n/scenarios/program-partitioned-region.yaml"
  # Larger machines boot longer and their programs run longer: the update
  # after the program's start, the second copy after the first ends.
  extra=""
  # (16 threads make their calls from about 2.7 ms to 4.5 ms: the update in between.)
  if ((n >= 16)); then
    extra="--set duration_ms=40"
    sed -i "s/    at_ms: 2.5\$/    at_ms: 3.5/" "$dir/s$n/scenarios/program-process-swap.yaml"
  fi
  if ((n >= 64)); then
    extra="--set duration_ms=90"
    sed -i "s/    at_ms: 4.5\$/    at_ms: 40/; s/    at_ms: 3.5\$/    at_ms: 4.5/" "$dir/s$n/scenarios/program-process-swap.yaml"
    sed -i "s/    at_ms: 4\$/    at_ms: 5/" "$dir/s$n/scenarios/program-partitioned-region.yaml"
  fi
  hs=$(host_s "$dir/s$n/swap.log" "$dusim" run "$dir/s$n/scenarios/program-process-swap.yaml" --cpus "$n" -q --out "$dir/s$n/swap" $extra)
  hr=$(host_s "$dir/s$n/region.log" "$dusim" run "$dir/s$n/scenarios/program-partitioned-region.yaml" --cpus "$n" -q --out "$dir/s$n/region" $extra)
  python3 - "$n" "$dir/s$n/swap/report.json" "$dir/s$n/region/report.json" "$hs" "$hr" <<'PY'
import json, os, sys
n, sw, rg, hs, hr = sys.argv[1:]
f = lambda v: "-" if v is None else "%d" % v
cells = []
if os.path.exists(sw):
    r = json.load(open(sw)); p = {x["name"]: x for x in r["programs"]}; a = p["syscalls"]; l = a["syscall_latency"]
    u = r["updates"][0]
    cells += ["%s / %s / %s" % (f(l["before"]["p50_cycles"]), f((l["during"] or {}).get("p50_cycles")), f((l["after"] or {}).get("p50_cycles"))),
              "%d (%s)" % (a["held_calls"]["count"], f(a["held_calls"]["max_cycles"])),
              "-" if u["latency_ns"] is None else "%.0f" % (u["latency_ns"] / 1000.0),
              "yes" if a["output_digest"] is not None and a["output_digest"] == p["syscalls-after"]["output_digest"] else "no (%s)" % p["syscalls-after"]["exit_status"]]
else:
    cells += ["-"] * 4
if os.path.exists(rg):
    m = json.load(open(rg))["metrics"]
    cells += ["%s / %s" % (f(m["faults_shared"]), f(m["faults_partitioned"])),
              "%s / %s" % (f(m["fault_p50_shared"]), f(m["fault_p50_partitioned"])),
              "%s / %s" % (f(m["fault_p99_shared"]), f(m["fault_p99_partitioned"]))]
else:
    cells += ["-"] * 3
print("| %s | %s | %s / %s |" % (n, " | ".join(cells), hs, hr))
PY
done
