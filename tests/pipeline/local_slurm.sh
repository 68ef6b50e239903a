# A one-node Slurm cluster on this machine, for tests and benchmarks
# (sourced): munged with a new key, slurmctld and slurmd as root on free
# ports, a slurm.conf in DIR; SLURM_CONF is exported so sbatch, squeue and
# scontrol (and dusim sweep --slurm) use it. Needs Debian's slurm-wlm and
# munge (./dusim test installs them) and root.
#   . local_slurm.sh; local_slurm_start DIR || exit 1; ...; local_slurm_stop DIR

local_slurm_start() {
  local dir=$1 p ctld_port slurmd_port node
  for p in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v $p > /dev/null || { echo "FAIL: $p is not installed (./dusim test installs slurm-wlm and munge)"; return 1; }
  done
  [[ $(id -u) -eq 0 ]] || { echo "FAIL: the local Slurm cluster runs slurmd as root: run as root"; return 1; }
  read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  head -c 1024 /dev/urandom > "$dir/munge.key" && chmod 400 "$dir/munge.key"
  munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" --log-file="$dir/log/munged.log" \
    --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed" || { echo "FAIL: munged did not start"; return 1; }
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
  slurmctld -i || { echo "FAIL: slurmctld did not start"; return 1; }
  slurmd || { echo "FAIL: slurmd did not start"; return 1; }
  for _ in $(seq 100); do
    [[ $(sinfo -h -o %T 2> /dev/null) == idle ]] && break
    sleep 0.2
  done
  [[ $(sinfo -h -o %T) == idle ]] || { echo "FAIL: the node is not idle: $(sinfo 2>&1)"; return 1; }
  echo "ok: a one-node Slurm cluster on ports $ctld_port and $slurmd_port ($(nproc) CPUs)"
}

# Waits until none of the jobs (comma-separated ids) is queued or running;
# fails after SECONDS (default 180).
local_slurm_wait() {
  local ids=$1 limit=${2:-180} start=$SECONDS
  while [[ -n $(squeue -h -j "$ids" 2> /dev/null) ]]; do
    ((SECONDS - start < limit)) || return 1
    sleep 0.2
  done
}

local_slurm_stop() {
  local dir=$1 d
  for d in slurmd slurmctld munged; do [[ -s $dir/$d.pid ]] && kill "$(cat "$dir/$d.pid")" 2> /dev/null; done
  sleep 0.5
}
