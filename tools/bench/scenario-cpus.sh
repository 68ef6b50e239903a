#!/usr/bin/env bash
# Benchmark (prints figures; not a test): host CPU time per simulated
# instruction of every shipped scenario at 1, 4, 16 and 64 CPUs (report.json's
# host.cpu_seconds over the instructions of all CPUs), and its ratio to the
# 1-CPU figure. CPU time, not wall time: the machine may be loaded.
#   tools/bench/scenario-cpus.sh [--markdown] [CPUS...]   (default 1 4 16 64)
# --markdown prints a markdown table. A scenario that cannot run on a CPU
# count (it names CPUs the machine lacks) shows "-" there; the last column
# is the largest CPU count's figure over the smallest one it ran on.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
markdown=""
if [[ ${1:-} == --markdown ]]; then markdown=1; shift; fi
cpus=("$@")
((${#cpus[@]})) || cpus=(1 4 16 64)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ns_per_insn() {  # ns_per_insn REPORT -> host CPU ns per simulated instruction
  python3 -c 'import json, sys; h = json.load(open(sys.argv[1]))["host"]
print("%.1f" % (1e3 * h["cpu_seconds"] / (h["mips"] * h["wall_seconds"])))' "$1"
}

header="scenario"
for n in "${cpus[@]}"; do header+=" | $n CPU$([[ $n == 1 ]] || echo s)"; done
header+=" | ${cpus[-1]} / ${cpus[0]}"
if [[ -n $markdown ]]; then
  echo "| $header |"
  echo "|---$(printf '|---:%.0s' "${cpus[@]}")|---:|"
else
  echo "$header"
fi
for s in "$root"/scenarios/*.yaml; do
  name=$(basename "$s" .yaml)
  row="$name" first="" last=""
  for n in "${cpus[@]}"; do
    "$dusim" run "$s" --cpus "$n" -q --out "$dir/$name-$n" > /dev/null 2>&1 || true   # a check may fail at other CPU counts
    if [[ -f $dir/$name-$n/report.json ]]; then
      v=$(ns_per_insn "$dir/$name-$n/report.json")
      first=${first:-$v} last=$v
    else
      v="-"  # the scenario cannot run on this many CPUs (it names CPUs the machine lacks)
    fi
    row+=" | $v"
  done
  if [[ -n $first ]]; then row+=" | $(python3 -c "print('%.2f' % ($last / $first))")"; else row+=" | -"; fi
  if [[ -n $markdown ]]; then echo "| $row |"; else echo "$row"; fi
done
echo "(host CPU ns per simulated instruction, instructions of all CPUs; $(date -u +%Y-%m-%d), $(nproc) host cores)"
