#!/usr/bin/env bash
# A failure seen by one rank ends every rank within seconds, with the error printed once; never
# a hang. Two cases: a coupling file that exists on one "node" only (ranks started in different
# working directories, as on hosts without a shared file system), and a failure in mid-run (the
# run directory vanishes, so rank 0 cannot write its checkpoint).
# Usage: rank_failure.sh SPINFER MPIRUN
set -uo pipefail
spinfer=$(realpath "$1")
mpirun=$2
python=/usr/bin/python3
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

# 1. Rank 0 runs in node-a (which has the file), rank 1 in node-b (which has not).
mkdir -p "$work/node-a" "$work/node-b"
printf 'agents 4\n0 1 1\n1 2 1\n2 3 1\n3 0 1\n' > "$work/node-a/ring.couplings"
printf '{"instance": {"kind": "coupling_list", "path": "ring.couplings"}, "sweeps": 1000}' > "$work/ring.json"
start=$(date +%s)
timeout 60 "$mpirun" -np 1 -wdir "$work/node-a" "$spinfer" run "$work/ring.json" --out "$work/ring-out" --quiet : \
  -np 1 -wdir "$work/node-b" "$spinfer" run "$work/ring.json" --out "$work/ring-out" --quiet \
  > "$work/ring.log" 2>&1
code=$?
seconds=$(( $(date +%s) - start ))
[ "$code" -ne 0 ] && [ "$code" -ne 124 ] && ok "file missing on one node: non-zero exit ($code)" || fail "file missing on one node: exit $code"
[ "$seconds" -le 20 ] && ok "file missing on one node: ended in ${seconds}s" || fail "file missing on one node: took ${seconds}s"
[ "$(grep -c 'spinfer: error' "$work/ring.log")" -eq 1 ] && grep -q "ring.couplings" "$work/ring.log" &&
  ok "file missing on one node: one error line naming the file" || { fail "file missing on one node: message"; cat "$work/ring.log"; }
[ ! -e "$work/ring-out" ] && ok "file missing on one node: nothing written" || fail "file missing on one node: output written"

# 2. Mid-run: the run directory disappears; rank 0 fails writing a checkpoint, the other ranks
#    are in the middle of sweeping and must not wait for it forever.
d=$work/vanishing
"$mpirun" -np 2 "$spinfer" run --set sweeps=2000000 --set checkpoint.interval_sweeps=20000 \
  --set checkpoint.status_seconds=0.2 --out "$d" --quiet > "$work/vanish.log" 2>&1 &
job=$!
for _ in $(seq 200); do [ -e "$d/checkpoint.pb" ] && break; sleep 0.05; done
rm -rf "$d"
start=$(date +%s)
for _ in $(seq 300); do kill -0 $job 2>/dev/null || break; sleep 0.1; done
seconds=$(( $(date +%s) - start ))
if kill -0 $job 2>/dev/null; then fail "mid-run failure: still running after ${seconds}s"; kill -KILL $job
else ok "mid-run failure: every rank ended ${seconds}s after the directory vanished"; fi
wait $job; code=$?
[ "$code" -ne 0 ] && ok "mid-run failure: non-zero exit ($code)" || fail "mid-run failure: exit 0"
[ "$(grep -c 'spinfer: error' "$work/vanish.log")" -eq 1 ] && ok "mid-run failure: error printed once" ||
  { fail "mid-run failure: message"; cat "$work/vanish.log"; }
pgrep -f -- "--out $d" > /dev/null && fail "mid-run failure: ranks left behind" || ok "mid-run failure: no rank left behind"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
