#!/usr/bin/env bash
# The fragility knobs as users meet them: every example config gives the verdicts docs/
# fragility.md promises (shortened runs), `spinfer fragility` writes its table and figure, stale
# runs do not depend on the rank count and resume bit for bit after SIGKILL, asynchronous runs
# finish and say they are not reproducible. Usage: fragility.sh SPINFER MPIRUN
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
check() {  # check NAME CONDITION-TEXT PYTHON-EXPRESSION-ON-s(summary)
  local name=$1 what=$2 expr=$3
  if "$python" - "$work/$name/summary.json" <<PY
import json, math, sys
s = json.load(open(sys.argv[1]))
def cmp(ref):
    return [c for c in [s['stationarity']] + s.get('alternatives', []) if c['reference'] == ref][0]
ep = s.get('entropy_production', {})
bias = {b['observable']: b for b in s.get('bias', {}).get('observables', [])}
sys.exit(0 if ($expr) else 1)
PY
  then ok "$name: $what"; else fail "$name: $what"; "$python" -c "import json; s=json.load(open('$work/$name/summary.json')); print(json.dumps({k: s.get(k) for k in ('stationarity','entropy_production','detailed_balance','bias','concurrency')})[:2000])" 2>&1 | sed 's/^/    /'; fi
}
run() {  # run NAME RANKS spinfer-run-arguments...
  local name=$1 ranks=$2
  shift 2
  "$mpirun" -np "$ranks" "$spinfer" run "$@" --out "$work/$name" --quiet > "$work/$name.log" 2>&1 ||
    { fail "$name: exit code $?"; cat "$work/$name.log"; }
}

# 1. Asymmetric precisions, exact: the sampler follows its own kernel, whose law is not
#    Boltzmann(J_sym); the entropy production is positive and matches the exact kernel's.
run asym 2 examples/fragility-asymmetry-sk10.json --set sweeps=20000
check asym "verdict against the kernel law: consistent" "s['stationarity']['reference']=='kernel' and s['stationarity']['verdict']=='consistent'"
check asym "Boltzmann(J_sym) rejected; exact TV(kernel, Boltzmann(J_sym)) > 0.3" "cmp('boltzmann_symmetric')['verdict']=='rejected' and [d for d in s['kernel']['distances'] if d['reference']=='boltzmann_symmetric'][0]['tv_distance'] > 0.3"
check asym "EP > 0 and within 4 errors of the exact kernel's" "ep['verdict']=='positive' and abs(ep['per_sweep']-ep['exact_per_sweep']) < 4*ep['per_sweep_error']"

# 2. Per-pair precisions from a directed coupling file.
run directed 2 examples/fragility-directed-ring8.json --set sweeps=20000
check directed "consistent with its kernel, Boltzmann(J_sym) rejected" "s['stationarity']['reference']=='kernel' and s['stationarity']['verdict']=='consistent' and cmp('boltzmann_symmetric')['verdict']=='rejected'"
check directed "EP > 0 within 4 errors of exact; detailed balance rejected" "ep['verdict']=='positive' and abs(ep['per_sweep']-ep['exact_per_sweep']) < 4*ep['per_sweep_error'] and s['detailed_balance']['verdict']=='rejected'"

# 3. Policy precision alpha = 2: reversible (EP 0), but Boltzmann at 2 gamma, not at gamma.
run alpha 2 examples/fragility-alpha.json --set sweeps=20000
check alpha "consistent with the kernel, Boltzmann(J) rejected, EP consistent with 0" "s['stationarity']['reference']=='kernel' and s['stationarity']['verdict']=='consistent' and cmp('boltzmann')['verdict']=='rejected' and ep['verdict']=='consistent_with_zero'"

# 4. Symmetric sequential heat-bath: EP zero within error, detailed balance holds.
run sequential 2 examples/sk-n12.json --set schedule=random_sequential --set sweeps=20000
check sequential "EP consistent with 0; exact EP 0; detailed balance consistent" "ep['verdict']=='consistent_with_zero' and abs(ep['exact_per_sweep']) < 1e-12 and s['detailed_balance']['verdict']=='consistent'"

# 5. Stale neighbours (large N): biased against the exact schedule, not rank-dependent.
for ranks in 1 3; do
  run "stale-np$ranks" "$ranks" examples/fragility-stale.json --set sweeps=3000 --set burn_in=500
done
check stale-np3 "energy biased upwards beyond 4 errors" "s['bias']['verdict']=='biased' and bias['energy_per_agent']['bias'] > 4*bias['energy_per_agent']['bias_error']"
h1=$("$python" -c "import json; print(json.load(open('$work/stale-np1/summary.json'))['final_state_hash'])")
h3=$("$python" -c "import json; print(json.load(open('$work/stale-np3/summary.json'))['final_state_hash'])")
[ "$h1" = "$h3" ] && ok "stale: final_state_hash equal on 1 and 3 ranks" || fail "stale: hash differs across rank counts"

# 6. Asynchronous (real concurrency): finishes, says it is not reproducible, has its bias report.
run async 2 examples/fragility-schedule-ea32.json --set sweeps=3000 --set burn_in=500
check async "not reproducible, halo messages applied, bias reported" "not s['concurrency']['reproducible'] and int(s['concurrency']['halo_messages']) > 0 and len(bias)==4"

# 7. The fragility command: table, JSON and figure.
"$mpirun" -np 2 "$spinfer" fragility examples/fragility-asymmetry-sk10.json --knob asymmetry \
  --values 0,0.5,1 --set sweeps=10000 --out "$work/f-asym" --quiet > "$work/f-asym.log" 2>&1 ||
  { fail "fragility asymmetry: exit code"; cat "$work/f-asym.log"; }
if "$python" - "$work/f-asym" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "fragility.csv"))))
assert [r["value"] for r in rows] == ["0", "0.5", "1"], rows
tv = [float(r["kernel_tv_boltzmann_symmetric"]) for r in rows]
ep = [float(r["kernel_entropy_production"]) for r in rows]
assert tv[0] < 1e-9 and tv[0] < tv[1] < tv[2], tv           # distance grows from 0 with k
assert abs(ep[0]) < 1e-12 and 0 < ep[1] < ep[2], ep
for r in rows:
    sampled, err = float(r["entropy_production"]), float(r["entropy_production_error"])
    assert abs(sampled - float(r["kernel_entropy_production"])) < 4 * err, r
    assert abs(float(r["sampled_tv_kernel"])) < 3 * float(r["sampled_tv_noise"]) + 0.02, r
assert rows[0]["entropy_production_verdict"] == "consistent_with_zero"
assert all(r["entropy_production_verdict"] == "positive" for r in rows[1:])
assert os.path.getsize(os.path.join(sys.argv[1], "fragility.png")) > 20000
import json
j = json.load(open(os.path.join(sys.argv[1], "fragility.json")))
assert j["knob"] == "asymmetry" and len(j["runs"]) == 3 and j["ranks"] == 2
PY
then ok "fragility asymmetry: csv rows, exact and sampled columns agree, png, json"
else fail "fragility asymmetry: outputs"; fi

"$mpirun" -np 2 "$spinfer" fragility examples/fragility-stale.json --knob staleness --values 0,2 \
  --set sweeps=1500 --set burn_in=300 --out "$work/f-stale" --quiet --no-plot > "$work/f-stale.log" 2>&1 ||
  { fail "fragility staleness: exit code"; cat "$work/f-stale.log"; }
if "$python" - "$work/f-stale" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "fragility.csv"))))
assert [r["exact"] for r in rows] == ["0", "0"]
e = [float(r["bias_energy"]) for r in rows]
err = [float(r["bias_energy_error"]) for r in rows]
assert abs(e[0]) < 4 * err[0] + 1e-12, (e, err)   # d = 0 is the exact schedule itself
assert e[1] > 4 * err[1], (e, err)
assert rows[1]["verdict"] == "biased"
assert not os.path.exists(os.path.join(sys.argv[1], "fragility.png"))
PY
then ok "fragility staleness (large N): bias 0 at d = 0, > 4 errors at d = 2"
else fail "fragility staleness: outputs"; cat "$work/f-stale/fragility.csv"; fi

# 8. Stale history survives SIGKILL: resumed on another rank count, bit for bit.
stale=(examples/fragility-stale.json --set instance.length=64 --set staleness=3 --set bias_reference=false
       --set sweeps=40000 --set burn_in=0 --set chains=2 --set checkpoint.interval_sweeps=1000
       --set checkpoint.status_seconds=0.2)
sweep_of() { "$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['sweep'])" "$1/status.json" 2>/dev/null || echo 0; }
gone() { for _ in $(seq 200); do pgrep -f -- "$1( |$)" > /dev/null || return 0; sleep 0.05; done; }
"$mpirun" -np 2 "$spinfer" run "${stale[@]}" --out "$work/stale-ref" --quiet > /dev/null 2>&1 || fail "stale reference run"
d=$work/stale-kill
"$mpirun" -np 2 "$spinfer" run "${stale[@]}" --out "$d" --quiet > "$d.log" 2>&1 &
job=$!
for _ in $(seq 1200); do [ "$(sweep_of "$d")" -ge 5000 ] && break; kill -0 $job 2>/dev/null || break; sleep 0.05; done
kill -KILL $job 2>/dev/null; wait $job 2>/dev/null; gone "$d"
if [ -s "$d/checkpoint.pb" ]; then ok "stale: checkpoint present after SIGKILL"; else fail "stale: no checkpoint after SIGKILL"; fi
"$mpirun" -np 3 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 || { fail "stale: resume"; cat "$d.log"; }
if "$python" "$here/../tools/same_result.py" "$work/stale-ref" "$d"; then
  ok "stale (d = 3): killed, resumed on 3 ranks == uninterrupted on 2"
else fail "stale: resumed run differs"; fi

# The asynchronous schedule is not reproducible, but a killed run still resumes and finishes.
d=$work/async-kill
"$mpirun" -np 2 "$spinfer" run "${stale[@]}" --set schedule=asynchronous --set staleness=0 \
  --set stale_domains=0 --set measure_interval=10 --out "$d" --quiet > "$d.log" 2>&1 &
job=$!
for _ in $(seq 1200); do [ "$(sweep_of "$d")" -ge 5000 ] && break; kill -0 $job 2>/dev/null || break; sleep 0.05; done
kill -KILL $job 2>/dev/null; wait $job 2>/dev/null; gone "$d"
"$mpirun" -np 1 "$spinfer" run --resume "$d" --quiet > "$d.log" 2>&1 || { fail "async: resume"; cat "$d.log"; }
if "$python" -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s['provenance']['segments']==2 and s['measured_samples']==4000 else 1)" "$d/summary.json"; then
  ok "asynchronous: killed, resumed on 1 rank, finished with every sample"
else fail "asynchronous: resumed run incomplete"; fi

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
