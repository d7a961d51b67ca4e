# shellcheck shell=bash
# A private single-node Slurm cluster on localhost for the deploy tests: munged, slurmctld and
# slurmd with every file (config, key, socket, spool, logs, pids) under one directory and ports
# picked free, so nothing depends on or touches the system's Slurm or munge. Sourced, not run:
#   source local_slurm.sh; local_slurm_start DIR; ... sbatch ...; local_slurm_stop
# Exits 77 (CTest: skipped) when not root or when the Debian packages are missing.

local_slurm_require() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: the local Slurm test starts slurmd as root; run it as root"
    exit 77
  fi
  local tool
  for tool in munged mungekey slurmctld slurmd sbatch srun scancel scontrol squeue sinfo; do
    if ! command -v "$tool" > /dev/null; then
      echo "skipped: $tool not found (apt-get install slurm-wlm munge)"
      exit 77
    fi
  done
}

local_slurm_free_ports() {  # prints N ports that nothing listens on now
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
PY
}

local_slurm_start() {  # local_slurm_start DIR: new or empty, every directory above it traversable
  LOCAL_SLURM=$1
  local node cpus ctld_port slurmd_port
  node=$(hostname -s)
  cpus=$(nproc)
  read -r ctld_port slurmd_port <<< "$(local_slurm_free_ports 2)"
  mkdir -p "$LOCAL_SLURM"/{munge,socket,spool/ctld,spool/slurmd,log,run}
  # munged insists on a key readable only by its owner and a socket directory everyone can
  # traverse.
  chmod 755 "$LOCAL_SLURM" "$LOCAL_SLURM/socket"
  chmod 700 "$LOCAL_SLURM/munge"
  mungekey --create --keyfile="$LOCAL_SLURM/munge/munge.key" > /dev/null
  munged --key-file="$LOCAL_SLURM/munge/munge.key" --socket="$LOCAL_SLURM/socket/munge" \
    --pid-file="$LOCAL_SLURM/run/munged.pid" --log-file="$LOCAL_SLURM/log/munged.log" \
    --seed-file="$LOCAL_SLURM/munge/munged.seed" || return 1

  # cred_expire is also how long a requeued job waits before it may start again (default 120 s).
  # sched_interval/bf_interval: schedule within a second instead of the default minute. KillWait:
  # a cancelled job's processes get SIGKILL 5 s after SIGTERM (default 30 s).
  cat > "$LOCAL_SLURM/slurm.conf" <<EOF
ClusterName=spinfertest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$LOCAL_SLURM/socket/munge,cred_expire=5
StateSaveLocation=$LOCAL_SLURM/spool/ctld
SlurmdSpoolDir=$LOCAL_SLURM/spool/slurmd
SlurmctldPidFile=$LOCAL_SLURM/run/slurmctld.pid
SlurmdPidFile=$LOCAL_SLURM/run/slurmd.pid
SlurmctldLogFile=$LOCAL_SLURM/log/slurmctld.log
SlurmdLogFile=$LOCAL_SLURM/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOCAL_SLURM/log/jobcomp.log
MpiDefault=pmix
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$LOCAL_SLURM/slurm.conf
  slurmctld -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" || return 1

  for _ in $(seq 1 60); do
    [ "$(sinfo -h -n "$node" -o %t 2> /dev/null)" = idle ] && return 0
    sleep 0.5
  done
  echo "local slurm: node $node did not become idle"
  local_slurm_logs
  return 1
}

local_slurm_logs() {  # the end of every daemon log, for a failing test's output
  local log
  for log in "$LOCAL_SLURM"/log/*.log; do
    echo "--- $log"
    tail -n 25 "$log"
  done
}

local_slurm_wait_job() {  # local_slurm_wait_job ID SECONDS: until the job has left the queue
  local id=$1 deadline=$((SECONDS + $2))
  while [ -n "$(squeue -h -j "$id" 2> /dev/null)" ]; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

local_slurm_stop() {  # cancels our jobs, then stops the daemons this cluster started, by pid
  [ -n "${LOCAL_SLURM:-}" ] && [ -f "$LOCAL_SLURM/slurm.conf" ] || return 0
  trap '' INT TERM  # a second signal must not cut the clean-up short
  local daemon pid
  if [ -f "$LOCAL_SLURM/run/slurmctld.pid" ]; then
    scancel --quiet --user="$(id -un)" 2> /dev/null
    for _ in $(seq 1 40); do
      [ -z "$(squeue -h 2> /dev/null)" ] && break
      sleep 0.5
    done
    # Still there: kill what the job steps run here, or slurmstepd outlives slurmd.
    for pid in $(scontrol listpids 2> /dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'); do
      kill -9 "$pid" 2> /dev/null
    done
  fi
  for daemon in slurmd slurmctld munged; do
    pid=$(cat "$LOCAL_SLURM/run/$daemon.pid" 2> /dev/null) || continue
    kill "$pid" 2> /dev/null || continue
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2> /dev/null && kill -9 "$pid"
  done
  # A slurmstepd whose slurmd is gone can linger; slurmd started it in our log directory.
  local proc
  for proc in /proc/[0-9]*; do
    case $(readlink "$proc/cwd" 2> /dev/null) in
      "$LOCAL_SLURM"/*) kill -9 "${proc#/proc/}" 2> /dev/null ;;
    esac
  done
  LOCAL_SLURM=
}
