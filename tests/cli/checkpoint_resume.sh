#!/usr/bin/env bash
# Interrupted runs lose nothing. A run killed with SIGKILL (of mpirun, or of one rank) at several
# points, or stopped with SIGTERM, and resumed -- also on other rank counts -- leaves results bit
# for bit equal to an uninterrupted run's. Existing run directories are refused without
# --overwrite/--resume; corrupt, truncated and mismatched checkpoints are refused.
# Usage: checkpoint_resume.sh SPINFER MPIRUN
set -uo pipefail
spinfer=$1
mpirun=$2
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

source "$here/../tools/pace.sh"

# Gaussian 2D EA (floating-point energies: sums must not depend on ranks or interruptions) and
# the exact SK N=12 default with its state counts. Each run is sized to last about 5 s on this
# machine as it is now (tests/tools/pace.sh), so every kill lands inside it however fast or
# slow (sanitizers, load) the machine is; 50 checkpoints and at most ~20000 samples per chain
# (the analysis after each run grows with them); status often.
ea=(examples/ea2d-sync.json --set schedule=chromatic --set instance.length=16)
sk=(--set schedule=random_sequential)
ea_sweeps=$(sweeps_lasting 5 "$mpirun" -np 2 "$spinfer" run "${ea[@]}" --set measure_interval=50) || exit 1
sk_sweeps=$(sweeps_lasting 5 "$mpirun" -np 2 "$spinfer" run "${sk[@]}" --set measure_interval=50) || exit 1
echo "runs of $ea_sweeps (EA) and $sk_sweeps (SK) sweeps"
paced() {  # paced SWEEPS: the options for a run of SWEEPS sweeps
  local interval=$(($1 / 20000))
  echo "--set sweeps=$1 --set measure_interval=$((interval > 50 ? interval : 50))" \
    "--set checkpoint.interval_sweeps=$(($1 / 50)) --set checkpoint.status_seconds=0.2"
}
read -r -a options <<< "$(paced "$ea_sweeps")"
ea+=("${options[@]}")
read -r -a options <<< "$(paced "$sk_sweeps")"
sk+=("${options[@]}")

# The sweep of the last checkpoint the running segment wrote itself, from its status.json (0
# before its first: a resumed segment reports the checkpoint it started from until then, and
# killing it there would leave nothing of it to count).
sweep_of() { "$python" -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['last_checkpoint_sweep'] if s.get('checkpoints_written', 0) > 0 else 0)" "$1/status.json" 2>/dev/null || echo 0; }
# Starts a run in the background and returns once it has checkpointed at sweep $2 or later.
start_until() {  # start_until DIR SWEEPS RANKS spinfer-arguments...
  local dir=$1 target=$2 ranks=$3
  shift 3
  rm -f "$dir/status.json"  # the previous segment's
  "$mpirun" -np "$ranks" "$spinfer" "$@" --quiet > "$dir.log" 2>&1 &
  job=$!
  for _ in $(seq 3000); do  # up to 150 s: oversubscribed ranks on a loaded machine are slow
    [ "$(sweep_of "$dir")" -ge "$target" ] && return 0
    kill -0 $job 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
# After a SIGKILL of mpirun its ranks take a moment to go; until then they hold the run lock.
gone() {  # gone DIR
  for _ in $(seq 200); do pgrep -f -- "$1( |$)" > /dev/null || return 0; sleep 0.05; done
}
same() {  # same NAME DIR_A DIR_B
  if "$python" "$here/../tools/same_result.py" "$2" "$3"; then ok "$1"; else fail "$1"; fi
}

"$mpirun" -np 2 "$spinfer" run "${ea[@]}" --out "$work/ea-ref" --quiet > /dev/null 2>&1 || fail "ea reference run"
"$mpirun" -np 2 "$spinfer" run "${sk[@]}" --out "$work/sk-ref" --quiet > /dev/null 2>&1 || fail "sk reference run"

# 1. SIGKILL of mpirun at 3 points (25%, then again during the resumes at 50% and 75%), resumed on
#    3, 1 and 2 ranks.
d=$work/ea-kill
start_until "$d" $((ea_sweeps / 4)) 2 run "${ea[@]}" --out "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
[ -s "$d/checkpoint.pb" ] && ok "ea: checkpoint present after SIGKILL" || fail "ea: no checkpoint after SIGKILL"
# Its status.json still says running; spinfer status sees that nothing holds the directory.
"$spinfer" status "$d" | grep -q "no spinfer process holds this directory.*--resume continues" &&
  ok "ea: spinfer status calls the killed run what it is" || fail "ea: status of a killed run"
early_record=$(stat -c %s "$d/checkpoint.pb") early_series=$(stat -c %s "$d/checkpoint.series")
start_until "$d" $((ea_sweeps / 2)) 3 run --resume "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
start_until "$d" $((ea_sweeps * 3 / 4)) 1 run --resume "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
# Three times the samples later, checkpoint.pb has the same size but for its varint sums getting
# longer: by one byte at most for each of the 256 spin and 1024 directed-edge sums of the 16x16
# lattice (a varint gains a byte when its value grows 128-fold). Only the series file, appended
# to, grows with the run.
late_record=$(stat -c %s "$d/checkpoint.pb") late_series=$(stat -c %s "$d/checkpoint.series")
echo "checkpoint.pb $early_record -> $late_record bytes, checkpoint.series $early_series -> $late_series"
[ "$late_record" -le $((early_record + 256 + 1024)) ] && [ "$late_series" -ge $((early_series * 2)) ] &&
  ok "ea: checkpoint record does not grow with the run, the series file does" ||
  fail "ea: checkpoint sizes"
"$mpirun" -np 2 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 && ok "ea: final resume exits 0" || { fail "ea: final resume"; cat "$d.log"; }
same "ea: killed 3 times, resumed on 3, 1, 2 ranks == uninterrupted" "$work/ea-ref" "$d"
[ ! -e "$d/checkpoint.pb" ] && ok "ea: checkpoint removed when complete" || fail "ea: checkpoint left behind"
"$python" -c "import json,sys; p=json.load(open(sys.argv[1]))['provenance']; sys.exit(0 if p['segments']==4 else 1)" "$d/summary.json" &&
  ok "ea: provenance counts 4 segments" || fail "ea: provenance segments"

# 2. SIGKILL of one rank: mpirun ends the others; the run resumes on 1 rank.
d=$work/sk-rank
if start_until "$d" $((sk_sweeps / 3)) 2 run "${sk[@]}" --out "$d"; then
  victim=$(pgrep -f -- "--out $d" | while read -r pid; do [ "$(ps -o comm= -p "$pid")" = spinfer ] && echo "$pid"; done | tail -1)
  kill -KILL "$victim"
fi
wait $job 2>/dev/null
pgrep -f -- "--out $d" > /dev/null && fail "sk: ranks left running after one was killed" || ok "sk: no rank survives a killed rank"
"$mpirun" -np 1 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 || { fail "sk: resume after rank kill"; cat "$d.log"; }
same "sk: one rank killed, resumed on 1 rank == uninterrupted" "$work/sk-ref" "$d"

# 3. SIGTERM to the ranks (what srun --signal and scancel --signal deliver): checkpoint, exit 75.
d=$work/sk-term
if start_until "$d" $((sk_sweeps / 5)) 2 run "${sk[@]}" --out "$d"; then
  pkill -TERM -f -- "^$spinfer run .*--out $d"  # the ranks, not mpirun
fi
wait $job; code=$?
[ "$code" -eq 75 ] && ok "sk: SIGTERM exits 75" || fail "sk: SIGTERM exit code $code (want 75)"
grep -q '"state": "interrupted"' "$d/status.json" && ok "sk: status.json says interrupted" || fail "sk: status after SIGTERM"
"$spinfer" status "$d" | grep -q "interrupted" && ok "sk: spinfer status reports it" || fail "sk: spinfer status"
cp -r "$d" "$work/sk-bad"

# SIGUSR1 to mpirun itself: Open MPI forwards it to every rank without killing them, so the ranks
# checkpoint and mpirun exits with their 75 (SIGTERM to mpirun would kill them a second later).
d=$work/sk-usr1
start_until "$d" $((sk_sweeps / 4)) 2 run "${sk[@]}" --out "$d" && kill -USR1 $job
wait $job; code=$?
[ "$code" -eq 75 ] && ok "sk: SIGUSR1 to mpirun exits 75" || fail "sk: SIGUSR1 to mpirun: exit code $code (want 75)"
"$mpirun" -np 2 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 || { fail "sk: resume after SIGUSR1"; cat "$d.log"; }
same "sk: SIGUSR1 to mpirun, resumed == uninterrupted" "$work/sk-ref" "$d"

# 4. Ensemble runs: parallel tempering killed during burn-in (between ladder retunings) and
#    after it, resumed on 3 (another layout: 3 groups instead of 2), then 1 and 2 ranks; annealing
#    killed mid-schedule and resumed on 1 rank. Spins, temperature permutation, swap and
#    round-trip counters, ladder, series, histograms and best state all come back.
#    Sized like the runs above: about 5 s each here and now.
pt=(examples/pt-ea3d.json --set 'instance={"kind":"edwards_anderson","dimensions":3,"length":6}')
anneal=(examples/anneal-sk.json --set instance.n=64)
pt_sweeps=$(sweeps_lasting 5 "$mpirun" -np 2 "$spinfer" run "${pt[@]}" --set burn_in=500) || exit 1
anneal_sweeps=$(sweeps_lasting 5 "$mpirun" -np 2 "$spinfer" run "${anneal[@]}") || exit 1
pt_burn_in=$((pt_sweeps / 4))  # the ladder is retuned during burn-in: kill it there once
pt+=(--set sweeps=$pt_sweeps --set burn_in=$pt_burn_in
     --set checkpoint.interval_sweeps=$((pt_sweeps / 100)) --set checkpoint.status_seconds=0.2)
anneal+=(--set sweeps=$anneal_sweeps --set checkpoint.interval_sweeps=$((anneal_sweeps / 100))
         --set checkpoint.status_seconds=0.2)
"$mpirun" -np 2 "$spinfer" run "${pt[@]}" --out "$work/pt-ref" --quiet > /dev/null 2>&1 || fail "pt reference run"
"$mpirun" -np 2 "$spinfer" run "${anneal[@]}" --out "$work/anneal-ref" --quiet > /dev/null 2>&1 || fail "anneal reference run"
d=$work/pt-kill
start_until "$d" $((pt_burn_in / 3)) 2 run "${pt[@]}" --out "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
[ -s "$d/checkpoint.pb" ] && ok "pt: checkpoint present after SIGKILL in burn-in" || fail "pt: no checkpoint after SIGKILL"
start_until "$d" $((pt_burn_in + pt_sweeps / 4)) 3 run --resume "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
start_until "$d" $((pt_burn_in + pt_sweeps / 2)) 1 run --resume "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
"$mpirun" -np 2 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 && ok "pt: final resume exits 0" || { fail "pt: final resume"; cat "$d.log"; }
same "pt: killed 3 times, resumed on 3, 1, 2 ranks == uninterrupted" "$work/pt-ref" "$d"
d=$work/anneal-kill
start_until "$d" $((anneal_sweeps / 5)) 2 run "${anneal[@]}" --out "$d" && kill -KILL $job; wait $job 2>/dev/null; gone "$d"
[ -s "$d/checkpoint.pb" ] && ok "anneal: checkpoint present after SIGKILL" || fail "anneal: no checkpoint after SIGKILL"
"$mpirun" -np 1 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 && ok "anneal: resume exits 0" || { fail "anneal: resume"; cat "$d.log"; }
same "anneal: killed, resumed on 1 rank == uninterrupted" "$work/anneal-ref" "$d"

# 5. Refusals, each one line, exit 2, nothing changed.
refuse() {  # refuse NAME EXPECTED-TEXT spinfer-arguments...
  local name=$1 want=$2
  shift 2
  "$mpirun" -np 1 "$spinfer" "$@" --quiet > "$work/refuse.out" 2> "$work/refuse.err"
  local code=$? lines
  lines=$(grep -c "spinfer: error" "$work/refuse.err")
  if [ "$code" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$want" "$work/refuse.err"; then ok "$name"
  else fail "$name (exit $code)"; cat "$work/refuse.err"; fi
}
refuse "existing directory refused without --overwrite" "exists and is not empty" run "${sk[@]}" --out "$work/sk-ref"
refuse "resume with another configuration refused, naming the field" "beta" run --resume "$work/sk-bad" --set beta=0.9
bad=$work/sk-bad
cp "$bad/checkpoint.pb" "$work/good.pb"
cp "$bad/checkpoint.series" "$work/good.series"
# Invert one byte (whatever it holds) in the middle of FILE.
invert_middle() { "$python" -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0xff; open(p,'wb').write(b)" "$1"; }
head -c $(($(stat -c %s "$work/good.pb") / 2)) "$work/good.pb" > "$bad/checkpoint.pb"
refuse "truncated checkpoint refused" "checkpoint" run --resume "$bad"
cp "$work/good.pb" "$bad/checkpoint.pb"
invert_middle "$bad/checkpoint.pb"
refuse "corrupt checkpoint refused" "checksum" run --resume "$bad"
cp "$work/good.pb" "$bad/checkpoint.pb"
head -c $(($(stat -c %s "$work/good.series") / 2)) "$work/good.series" > "$bad/checkpoint.series"
refuse "truncated series file refused" "checkpoint.series.*truncated" run --resume "$bad"
cp "$work/good.series" "$bad/checkpoint.series"
invert_middle "$bad/checkpoint.series"
cp "$bad/checkpoint.series" "$work/corrupt.series"
refuse "corrupt series file refused" "checkpoint.series.*checksum" run --resume "$bad"
cmp -s "$bad/checkpoint.series" "$work/corrupt.series" && cmp -s "$bad/checkpoint.pb" "$work/good.pb" &&
  ok "refusals left the files alone" || fail "a refused resume changed the checkpoint files"
rm "$bad/checkpoint.series"
refuse "missing series file refused" "checkpoint.series.*checkpoint needs it" run --resume "$bad"
refuse "completed run has nothing to resume" "no checkpoint.pb" run --resume "$work/sk-ref"

# A directory in use by a running spinfer cannot be resumed into at the same time.
# The run writes status.json only once it holds the lock. (Probing the lock with flock instead
# would hold it for an instant, and a run starting in that instant is itself refused.)
d=$work/sk-term
rm -f "$d/status.json"
"$mpirun" -np 1 "$spinfer" run --resume "$d" --quiet > /dev/null 2>&1 &
job=$!
for _ in $(seq 600); do  # up to 30 s
  [ -e "$d/status.json" ] && break
  sleep 0.05
done
refuse "directory locked while a run uses it" "another spinfer run" run --resume "$d"
wait $job || fail "sk: resume after SIGTERM"
same "sk: SIGTERM, resumed on 1 rank == uninterrupted" "$work/sk-ref" "$d"

# --overwrite replaces an old run.
"$mpirun" -np 1 "$spinfer" run --set sweeps=2000 --out "$work/sk-ref" --overwrite --quiet > /dev/null 2>&1 &&
  "$python" -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['sweeps']==2000 else 1)" "$work/sk-ref/summary.json" &&
  ok "--overwrite replaces the old run" || fail "--overwrite"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
