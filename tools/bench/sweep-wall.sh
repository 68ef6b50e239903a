#!/usr/bin/env bash
# Benchmark (prints figures; not a test): wall time of one 28-variant sweep
# (scenarios/partitioned-region.yaml, cpus 2/4/8/16 x quanta 100 to 10 000
# cycles) run sequentially (-j 1), with -j 2, and through a one-node Slurm
# cluster started here (tests/pipeline/local_slurm.sh: root, slurm-wlm and
# munge), from submission until the collecting job has ended. Checks that
# the three tables agree (wall_seconds aside).
#   tools/bench/sweep-wall.sh [DURATION_MS]   (default: the scenario's 4)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/dusim" validate "$root/configs/power5.yaml" > /dev/null   # installs and builds
dusim="${DUSIM_BUILD_DIR:-$root/build}/tools/dusim"
duration=${1:-4}
dir=$(mktemp -d)
. "$root/tests/pipeline/local_slurm.sh"
trap 'local_slurm_stop "$dir/cluster"; rm -rf "$dir"' EXIT
sweep() {
  "$dusim" sweep "$root/scenarios/partitioned-region.yaml" --vary cpus=2,4,8,16 --vary quantum=100,250,500,1000,2000,5000,10000 \
    --set duration_ms="$duration" "$@" > /dev/null
}
seconds() { local t0=$1; echo "$(date +%s.%N) - $t0" | bc; }
table() { sed 's/,[^,]*$//' "$1/sweep.csv"; }

t0=$(date +%s.%N); sweep -j 1 --out "$dir/seq" || true; seq_s=$(seconds "$t0")
t0=$(date +%s.%N); sweep -j 2 --out "$dir/par" || true; par_s=$(seconds "$t0")
local_slurm_start "$dir/cluster" > /dev/null
t0=$(date +%s.%N)
sweep --slurm --out "$dir/slurm"
ids=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["array"] + "," + j["collect"])' "$dir/slurm/slurm/jobs.json")
local_slurm_wait "$ids" 3600
slurm_s=$(seconds "$t0")
diff <(table "$dir/seq") <(table "$dir/par") > /dev/null && diff <(table "$dir/seq") <(table "$dir/slurm") > /dev/null ||
  { echo "the three tables differ"; exit 1; }
printf '%-34s %10s\n' "28 variants, duration_ms=$duration" "wall (s)"
printf '%-34s %10.1f\n' "sequential (-j 1)" "$seq_s" "-j 2" "$par_s" "local Slurm ($(nproc) CPUs, 28 tasks)" "$slurm_s"
echo "(host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; the tables agree)"
