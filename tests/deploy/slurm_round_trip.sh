#!/usr/bin/env bash
# The Slurm path as users run it, on a private single-node cluster started here: two jobs of
# deploy/slurm/spinfer.sbatch on 2 tasks with srun --mpi=pmix and the same configuration and
# seed. One is pre-empted twice once it has checkpointed: by SIGTERM to its steps (scancel
# --signal=TERM, what pre-emption's GraceTime and --signal=TERM@T deliver), then by SIGTERM to
# its batch shell (scancel --batch, as --signal=B:TERM@T). Each time it must exit 75, requeue
# itself and resume from its checkpoint; it must finish with outputs identical, bit for bit, to
# the uninterrupted job's.
# Finally a resubmission of the finished directory must only report that it is done.
# Usage: slurm_round_trip.sh SPINFER. Exit 77 (skipped) without root or the Slurm packages.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
spinfer=$(readlink -f "$1")
python=/usr/bin/python3
source "$here/local_slurm.sh"
local_slurm_require

work=$(mktemp -d /tmp/spinfer-slurm-test.XXXXXX)
chmod 755 "$work"  # munged wants every directory above its socket traversable
trap 'local_slurm_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
fail() {
  echo "FAIL: $*"
  for file in "$work"/*.log; do
    [ -f "$file" ] && { echo "--- $file"; tail -n 30 "$file"; }
  done
  local_slurm_logs
  exit 1
}
local_slurm_start "$work/slurm" || fail "could not start the local Slurm cluster"
echo "ok   local cluster up: $(sinfo -h -o '%N %c CPUs %t')"

# The embedded default (SK, N = 12, exact verification), sized (tests/tools/pace.sh) to last
# about 10 s on this machine as it is now, fast or slow, so that both pre-emptions land well
# inside its sweeps; 20 checkpoints per run.
source "$root/tests/tools/pace.sh"
run_options=(--set measure_interval=20 --seed 5)
sweeps=$(sweeps_lasting 10 srun --mpi=pmix --nodes=1 --ntasks=2 "$spinfer" run "${run_options[@]}") ||
  fail "the timing run under srun failed"
total_sweeps=$((sweeps + sweeps / 10))  # sweeps + the default burn-in of sweeps / 10
interval=$((sweeps / 20000))  # at most ~20000 samples per chain: the verdict's cost grows with them
run_options+=(--set sweeps=$sweeps --set measure_interval=$((interval > 20 ? interval : 20))
  --set checkpoint.interval_sweeps=$((sweeps / 20)))
echo "ok   a run of $sweeps sweeps lasts about 10 s here"
submit() {  # submit NAME: prints the job id
  SPINFER=$spinfer sbatch --parsable --nodes=1 --ntasks=2 --ntasks-per-node=2 --time=10 \
    --job-name="$1" --output="$work/$1.log" --chdir="$work" \
    "$root/deploy/slurm/spinfer.sbatch" "$work/$1" "${run_options[@]}"
}
job=$(submit interrupted) || fail "sbatch refused the job script"
reference_job=$(submit reference) || fail "sbatch refused the job script"

log=$work/interrupted.log
wait_for() {  # wait_for SECONDS WHAT COMMAND...: until COMMAND succeeds
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "$what: not within the time allowed"
    grep -q "not requeueing" "$log" 2> /dev/null && fail "$what: job $job did not requeue itself"
    sleep 0.2
  done
}
requeues() { [ "$(grep -c "requeueing job $job" "$log" 2> /dev/null)" -ge "$1" ]; }
resumes() { [ "$(grep -c "resuming from $work/interrupted/checkpoint.pb" "$log" 2> /dev/null)" -ge "$1" ]; }
unfinished() { [ ! -e "$work/interrupted/summary.json" ] || fail "the run ended before pre-emption $1"; }

# Pre-emption 1, as Slurm's GraceTime and --signal=TERM@T deliver it: SIGTERM to the job's steps.
wait_for 60 "a first checkpoint" test -s "$work/interrupted/checkpoint.pb"
sleep 1  # more periodic checkpoints: the signal lands between two of them
unfinished 1
scancel --signal=TERM "$job" || fail "scancel --signal=TERM $job"
echo "ok   checkpoint written; SIGTERM sent to the steps of job $job"
wait_for 60 "requeue after pre-emption 1" requeues 1
wait_for 150 "resume after pre-emption 1 (after the reference job)" resumes 1
touch "$work/resumed"
# Pre-emption 2, as --signal=B:TERM@T delivers it: SIGTERM to the batch shell only, which the
# script passes on to the ranks.
wait_for 60 "a checkpoint after the resume" test "$work/interrupted/checkpoint.pb" -nt "$work/resumed"
unfinished 2
scancel --batch --signal=TERM "$job" || fail "scancel --batch --signal=TERM $job"
echo "ok   resumed and checkpointed again; SIGTERM sent to the batch shell of job $job"
wait_for 60 "requeue after pre-emption 2" requeues 2
local_slurm_wait_job "$job" 150 || fail "job $job still queued after 150 s"
local_slurm_wait_job "$reference_job" 60 || fail "job $reference_job still queued"

[ "$(grep -c "interrupted: exit code 75, checkpoint $work/interrupted/checkpoint.pb" "$log")" -eq 2 ] ||
  fail "exit code 75 with a checkpoint not recorded twice in $log"
echo "ok   $(grep -m1 -o 'interrupted: exit code 75.*' "$log")"
stops=$(sed -n 's/.*stopped by signal 15 after sweep \([0-9]*\).*/\1/p' "$log" | tr '\n' ' ')
read -r first second <<< "$stops"
if ! [ "${first:-0}" -gt 0 ] || ! [ "${second:-0}" -gt "$first" ] ||
   ! [ "$second" -lt "$total_sweeps" ]; then
  fail "spinfer did not report two stops by SIGTERM inside the run (sweeps: $stops)"
fi
echo "ok   stopped by SIGTERM after sweeps $first and $second of $total_sweeps"
grep -q "JobId=$job .*DerivedExitCode=75:0" "$LOCAL_SLURM/log/jobcomp.log" ||
  fail "Slurm's job completion log has no exit code 75 for job $job"
grep -q "requeue refused" "$log" && fail "scontrol requeue refused"
resumes 2 || fail "the requeued job did not resume twice"
grep -q "run complete" "$log" || fail "the resumed job did not complete"
record=$(scontrol show job "$job")
for field in JobState=COMPLETED Restarts=2 ExitCode=0:0; do
  grep -qw "$field" <<< "$record" || fail "job $job: expected $field in: $record"
done
echo "ok   job $job: requeued twice, resumed, COMPLETED with exit code 0"
[ -e "$work/interrupted/checkpoint.pb" ] && fail "checkpoint.pb left after completion"
grep -q "interrupted: exit code\|resuming from" "$work/reference.log" &&
  fail "the reference run was interrupted"

# Bit for bit: every CSV output, and every summary field but those that say how, where and how
# fast rather than what (the list is in tests/tools/same_result.py).
"$python" "$root/tests/tools/same_result.py" "$work/reference" "$work/interrupted" ||
  fail "resumed run differs from the uninterrupted one"
segments=$("$python" -c 'import json, sys
print(*(json.load(open(d + "/summary.json"))["provenance"]["segments"] for d in sys.argv[1:]))' \
  "$work/reference" "$work/interrupted")
[ "$segments" = "1 3" ] || fail "provenance.segments: expected 1 (reference) and 3, got $segments"
echo "ok   resumed run (3 segments) identical to the uninterrupted one, final_state_hash" \
  "$(grep -o '"final_state_hash": "[0-9a-f]*"' "$work/interrupted/summary.json" | cut -d'"' -f4)"

before=$(sha256sum "$work/interrupted/summary.json")
again=$(submit interrupted) || fail "sbatch refused the resubmission"
local_slurm_wait_job "$again" 60 || fail "resubmitted job $again still queued"
grep -q "summary.json exists: the run is complete" "$log" || fail "resubmission did not report done"
[ "$(sha256sum "$work/interrupted/summary.json")" = "$before" ] || fail "resubmission changed outputs"
echo "ok   resubmitting a finished run reports it done and changes nothing"
echo "passed in $SECONDS s"
