#!/usr/bin/env bash
# dusim sweep --slurm against a real Slurm: a one-node cluster on this
# machine (munged, slurmctld and slurmd as root, with a key and a
# slurm.conf written here, on free ports), a 4-variant sweep submitted as a
# job array plus its collecting job, waited for with squeue; the collected
# sweep.csv equals a local -j 2 run of the same plan byte for byte
# (wall_seconds aside). Without sbatch on PATH, --slurm is an input error
# and nothing is written.
#   check_sweep_slurm.sh DUSIM SCENARIO KERNEL_IMAGE
set -uo pipefail
dusim=$1 scenario=$2 kernel=$3
dir=$(mktemp -d)
stop() {
  for d in slurmd slurmctld munged; do [[ -s $dir/$d.pid ]] && kill "$(cat "$dir/$d.pid")" 2> /dev/null; done
  sleep 0.5
  rm -rf "$dir"
}
trap stop EXIT
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

for p in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v $p > /dev/null || fail "$p is not installed (./dusim test installs slurm-wlm and munge)"
done
[[ $(id -u) -eq 0 ]] || fail "the local Slurm cluster runs slurmd as root: run the test as root"
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
head -c 1024 /dev/urandom > "$dir/munge.key" && chmod 400 "$dir/munge.key"
munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" --log-file="$dir/log/munged.log" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed" || fail "munged did not start"
node=$(hostname -s)
cat > "$dir/slurm.conf" <<CONF
ClusterName=dusimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=dusimtest Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for _ in $(seq 100); do
  [[ $(sinfo -h -o %T 2> /dev/null) == idle ]] && break
  sleep 0.2
done
[[ $(sinfo -h -o %T) == idle ]] || fail "the node is not idle: $(sinfo 2>&1)"
echo "ok: a one-node Slurm cluster on ports $ctld_port and $slurmd_port"

sweep --out "$dir/slurm" --slurm --partition dusimtest --time 10 > "$dir/submit.out" 2>&1 || { cat "$dir/submit.out"; fail "--slurm exited $?"; }
ids=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["array"] + "," + j["collect"])' "$dir/slurm/slurm/jobs.json") ||
  fail "no jobs.json: $(cat "$dir/submit.out")"
grep -q "as job array" "$dir/submit.out" || fail "the submission said: $(cat "$dir/submit.out")"
for _ in $(seq 900); do
  [[ -z $(squeue -h -j "$ids" 2> /dev/null) ]] && break
  sleep 0.2
done
[[ -z $(squeue -h -j "$ids") ]] || fail "the jobs did not end within 3 minutes: $(squeue)"
state=$(scontrol show job "${ids#*,}" | grep -o 'JobState=[A-Z]*')
[[ $state == JobState=COMPLETED ]] || { cat "$dir/slurm/slurm/collect.log"; fail "the collecting job ended $state"; }
[[ $(ls "$dir"/slurm/slurm/task-*.log | wc -l) -eq 4 ]] || fail "expected 4 array tasks' logs: $(ls "$dir/slurm/slurm")"
echo "ok: job array and collecting job ran to the end"

sweep -j 2 --out "$dir/local" > "$dir/local.out" 2>&1 || { cat "$dir/local.out"; fail "the local sweep exited $?"; }
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
