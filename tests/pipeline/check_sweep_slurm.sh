#!/usr/bin/env bash
# dusim sweep --slurm against a real Slurm: a one-node cluster on this
# machine (local_slurm.sh: munged, slurmctld and slurmd as root, with a key
# and a slurm.conf written here, on free ports), a 4-variant sweep submitted as a
# job array plus its collecting job, waited for with squeue; the collected
# sweep.csv equals a local -j 2 run of the same plan byte for byte
# (wall_seconds aside). Without sbatch on PATH, --slurm is an input error
# and nothing is written.
#   check_sweep_slurm.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
. "$(dirname "$0")/local_slurm.sh"
trap 'local_slurm_stop "$dir"; rm -rf "$dir"' EXIT
fail() {
  echo "FAIL: $*"
  for f in "$dir"/log/*.log; do [[ -e $f ]] && { echo "--- $f"; tail -20 "$f"; }; done
  exit 1
}
sweep() { "$dusim" sweep "$scenario" --vary cpus=2,4 --vary quantum=250,500 --set kernel="$kernel" "$@"; }

# No sbatch: an input error before anything is written.
mkdir -p "$dir/empty"
PATH=$dir/empty "$dusim" sweep "$scenario" --vary cpus=2,4 --set kernel="$kernel" --out "$dir/nosbatch" --slurm \
  > "$dir/nosbatch.out" 2>&1
rc=$?
[[ $rc -eq 125 ]] || { cat "$dir/nosbatch.out"; fail "--slurm without sbatch exited $rc, expected 125"; }
grep -q "sbatch is not on PATH" "$dir/nosbatch.out" || fail "--slurm without sbatch: $(cat "$dir/nosbatch.out")"
[[ -e $dir/nosbatch ]] && fail "--slurm without sbatch wrote $dir/nosbatch"
echo "ok: --slurm without sbatch is an input error; nothing written"

local_slurm_start "$dir" || fail "no local Slurm cluster"

sweep --out "$dir/slurm" --slurm --partition dusimtest --time 10 > "$dir/submit.out" 2>&1 || { rc=$?; cat "$dir/submit.out"; fail "--slurm exited $rc"; }
ids=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["array"] + "," + j["collect"])' "$dir/slurm/slurm/jobs.json") ||
  fail "no jobs.json: $(cat "$dir/submit.out")"
grep -q "as job array" "$dir/submit.out" || fail "the submission said: $(cat "$dir/submit.out")"
local_slurm_wait "$ids" 180 || fail "the jobs did not end within 3 minutes: $(squeue)"
state=$(scontrol show job "${ids#*,}" | grep -o 'JobState=[A-Z]*')
[[ $state == JobState=COMPLETED ]] || { cat "$dir/slurm/slurm/collect.log"; fail "the collecting job ended $state"; }
[[ $(ls "$dir"/slurm/slurm/task-*.log | wc -l) -eq 4 ]] || fail "expected 4 array tasks' logs: $(ls "$dir/slurm/slurm")"
echo "ok: job array and collecting job ran to the end"

sweep -j 2 --out "$dir/local" > "$dir/local.out" 2>&1 || { rc=$?; cat "$dir/local.out"; fail "the local sweep exited $rc"; }
diff <(sed 's/,[^,]*$//' "$dir/local/sweep.csv") <(sed 's/,[^,]*$//' "$dir/slurm/sweep.csv") ||
  fail "the Slurm sweep's table differs from the local one"
[[ $(wc -l < "$dir/slurm/sweep.csv") -eq 5 ]] || fail "the Slurm sweep.csv has $(wc -l < "$dir/slurm/sweep.csv") lines"
python3 - "$dir/local/plan.json" "$dir/slurm/plan.json" <<'PY' || fail "the plans differ"
import json, sys
a, b = (json.load(open(f))["variants"] for f in sys.argv[1:])
assert [v["hash"] for v in a] == [v["hash"] for v in b], "hashes differ"
PY
grep -q '"variant":"cpus-4_quantum_cycles-500"' "$dir/slurm/sweep.html" || fail "the collected sweep.html does not plot every variant"
echo "ok: the collected sweep.csv equals a local -j 2 run byte for byte (wall_seconds aside)"
