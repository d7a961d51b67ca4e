#!/usr/bin/env bash
# The shipped examples give the verdicts the README promises (shortened runs), their outputs are
# complete, and final_state_hash does not depend on the rank count (1-4) for chromatic and
# synchronous runs. Usage: examples_and_ranks.sh SPINFER MPIRUN
set -uo pipefail
spinfer=$1
mpirun=$2
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0
check() {  # check NAME CONDITION-TEXT PYTHON-EXPRESSION-ON-s(summary)
  local name=$1 what=$2 expr=$3
  if "$python" -c "import json,sys; s=json.load(open('$work/$name/summary.json')); sys.exit(0 if ($expr) else 1)"; then
    echo "ok   $name: $what"; passed=$((passed + 1))
  else
    echo "FAIL $name: $what"; failures=$((failures + 1))
    "$python" -c "import json; s=json.load(open('$work/$name/summary.json')); print(json.dumps(s['stationarity'], indent=1)[:1500])" 2>&1 | sed 's/^/    /'
  fi
}
run() {  # run NAME RANKS spinfer-run-arguments...
  local name=$1 ranks=$2
  shift 2
  "$mpirun" -np "$ranks" "$spinfer" run "$@" --out "$work/$name" --quiet > "$work/$name.log" 2>&1 ||
    { echo "FAIL $name: exit code $?"; cat "$work/$name.log"; failures=$((failures + 1)); }
}

run sk 2 examples/sk-n12.json --set sweeps=30000
check sk "consistent with Boltzmann" "s['stationarity']['reference']=='boltzmann' and s['stationarity']['verdict']=='consistent'"
check sk "records config, seed, version, ranks" "s['config']['instance']['n']==12 and s['seed']==1 and s['version'] and s['ranks']==2"
for f in summary.json timeseries.csv config.json agents.csv edges.csv; do
  if [ -s "$work/sk/$f" ]; then passed=$((passed + 1)); else echo "FAIL sk: $f missing"; failures=$((failures + 1)); fi
done
if [ "$(head -1 "$work/sk/timeseries.csv")" = "sweep,chain,magnetization,energy_per_agent,free_energy_per_agent" ] &&
   [ "$(wc -l < "$work/sk/timeseries.csv")" -eq 60001 ]; then passed=$((passed + 1));
else echo "FAIL sk: timeseries.csv shape"; failures=$((failures + 1)); fi
# distribution.csv: every visited state listed, frequencies of the visited states sum to 1, and
# the references' listed mass is at most 1 (states below 0.1/M are left out).
if "$python" - "$work/sk/distribution.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert abs(sum(float(r["frequency"]) for r in rows) - 1) < 1e-9
assert sum(int(r["count"]) for r in rows) == 2 * 30000
for name in ("boltzmann", "little"):
    mass = sum(float(r[name]) for r in rows)
    assert 0.9 < mass <= 1 + 1e-9, (name, mass)
assert all(len(r["spins"]) == 12 for r in rows)
PY
then passed=$((passed + 1)); else echo "FAIL sk: distribution.csv"; failures=$((failures + 1)); fi
if "$python" tools/plot_run.py "$work/sk" > /dev/null && [ "$(stat -c %s "$work/sk/run.png")" -gt 20000 ]; then
  passed=$((passed + 1)); else echo "FAIL sk: tools/plot_run.py made no figure"; failures=$((failures + 1)); fi
if ls "$work/sk" | grep -q tmp; then echo "FAIL sk: temporary files left"; failures=$((failures + 1)); fi

run sync 2 examples/ea2d-sync.json --set sweeps=30000
check sync "consistent with Little" "s['stationarity']['reference']=='little' and s['stationarity']['verdict']=='consistent'"
check sync "Boltzmann rejected" "[a for a in s['alternatives'] if a['reference']=='boltzmann'][0]['verdict']=='rejected'"

run clamped 2 examples/clamped-bm-n12.json --set sweeps=30000
check clamped "consistent with the exact conditional" "s['stationarity']['verdict']=='consistent' and s['n_clamped']==3"

run ferro 2 examples/ferro2d-l32.json --set sweeps=5000
# Onsager: e = -1.7455 per spin at T = 2.0 for the infinite lattice; L = 32 is within 1e-3.
check ferro "chains agree; energy near Onsager's -1.7455" "s['stationarity']['verdict']=='consistent' and abs(s['energy_per_agent']+1.7455) < 0.005"

for schedule in chromatic synchronous; do
  for ranks in 1 2 3 4; do
    run "$schedule-np$ranks" "$ranks" examples/ea2d-sync.json --set 'instance={"kind":"edwards_anderson","length":12}' \
      --set schedule=$schedule --set sweeps=500 --seed 7
  done
  hashes=$(for ranks in 1 2 3 4; do "$python" -c "import json; print(json.load(open('$work/$schedule-np$ranks/summary.json'))['final_state_hash'])"; done | sort -u | wc -l)
  if [ "$hashes" -eq 1 ]; then echo "ok   $schedule: final_state_hash equal at 1, 2, 3, 4 ranks"; passed=$((passed + 1));
  else echo "FAIL $schedule: final_state_hash differs across rank counts"; failures=$((failures + 1)); fi
done

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
