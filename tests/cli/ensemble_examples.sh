#!/usr/bin/env bash
# The ensemble examples (parallel tempering, annealing, Hopfield retrieval), shortened, give the
# physics the documentation promises, write complete outputs, and do not depend on the rank count.
# Usage: ensemble_examples.sh SPINFER MPIRUN
set -uo pipefail
spinfer=$1
mpirun=$2
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0
run() {  # run NAME RANKS spinfer-run-arguments...
  local name=$1 ranks=$2
  shift 2
  "$mpirun" -np "$ranks" "$spinfer" run "$@" --out "$work/$name" > "$work/$name.log" 2>&1 ||
    { echo "FAIL $name: exit code $?"; cat "$work/$name.log"; failures=$((failures + 1)); }
}
check() {  # check NAME WHAT PYTHON-SCRIPT (d: the run directory, s: summary.json, csv(name))
  local name=$1 what=$2 script=$3
  if "$python" - "$work/$name" > "$work/check.out" 2>&1 <<PY
import csv, json, math, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
e = s["ensemble"]
def csv_rows(name):
    return list(csv.DictReader(open(d + "/" + name)))
$script
PY
  then echo "ok   $name: $what"; passed=$((passed + 1))
  else echo "FAIL $name: $what"; sed 's/^/    /' "$work/check.out" | tail -5; failures=$((failures + 1)); fi
}

# Parallel tempering on the 3D +-J lattice, 16 temperatures x 2 replicas, ladder retuned.
pt=(examples/pt-ea3d.json --set sweeps=4000 --set burn_in=1000)
run pt 2 "${pt[@]}"
check pt "complete outputs, one observables row per temperature" '
import os
for f in ["summary.json", "config.json", "observables.csv", "overlap_histogram.csv",
          "tempering.csv", "timeseries.csv", "agents.csv", "ground_state.csv"]:
    assert os.path.getsize(d + "/" + f) > 0, f
assert len(csv_rows("observables.csv")) == 16
assert len(csv_rows("tempering.csv")) == 15
assert len(csv_rows("timeseries.csv")) == 2000 * 16 * 2
assert len(csv_rows("agents.csv")) == 512 * 16
assert not [f for f in os.listdir(d) if ".tmp." in f]
assert s["ranks"] == 2 and s["seed"] == 1 and s["version"] and s["config"]["replicas"] == 2'
check pt "retuned ladder: every pair swaps, replicas make round trips" '
rates = [w["acceptance"] for w in e["swaps"]]
assert min(rates) > 0.2, rates
assert max(rates) - min(rates) < 0.2, rates  # tuned toward uniform
assert e["betas"][0] == 0.3 and e["betas"][-1] == 1.2 and e["betas"] != e["initial_betas"]
assert int(e["round_trips"]) > 0'
# High-temperature expansion of the +-J model: e = -3 tanh(beta) - 4 t^3 (1 - t^2) sum_p J_p / N
# + O(t^5), where the plaquette sum has mean 0 and standard deviation sqrt(3N) over disorder:
# 4 disorder standard deviations plus 5 statistical errors.
check pt "hottest energy: high-temperature expansion; energy falls and q_EA grows with beta" '
rows = csv_rows("observables.csv")
b = float(rows[0]["beta"]); t = math.tanh(b)
tolerance = 4 * 4 * t**3 * (1 - t**2) * math.sqrt(3 * 512) / 512 + 5 * float(rows[0]["energy_per_spin_err"]) + t**5
assert abs(float(rows[0]["energy_per_spin"]) + 3 * t) < tolerance, (rows[0]["energy_per_spin"], -3 * t, tolerance)
e_ = [float(r["energy_per_spin"]) for r in rows]
q = [float(r["q_ea"]) for r in rows]
assert all(x > y for x, y in zip(e_, e_[1:])), e_
assert q[-1] > 0.3 and q[0] < 0.1, q'
check pt "P(q) normalised at every temperature, broad at the coldest" '
rows = csv_rows("overlap_histogram.csv")
for k in range(16):
    p = [float(r["probability"]) for r in rows if int(r["temperature_index"]) == k]
    assert abs(sum(p) - 1) < 1e-9
cold = [(float(r["q"]), float(r["probability"])) for r in rows if int(r["temperature_index"]) == 15]
assert sum(w for q, w in cold if abs(q) > 0.4) > 0.3'
run pt-np1 1 "${pt[@]}"
run pt-np3 3 "${pt[@]}"
if "$python" tests/tools/same_result.py "$work/pt" "$work/pt-np1" && "$python" tests/tools/same_result.py "$work/pt" "$work/pt-np3"; then
  echo "ok   pt: identical results on 1, 2, 3 ranks"; passed=$((passed + 1))
else echo "FAIL pt: results differ between rank counts"; failures=$((failures + 1)); fi

# Simulated annealing of SK N = 256: near the Parisi ground-state energy -0.7633 per spin (finite
# N lies above it, by about 0.7 N^(-2/3) = 0.017; a short anneal a little more).
run anneal 2 examples/anneal-sk.json --set sweeps=1500
check anneal "ground state written; best energy per spin in [-0.78, -0.70]" '
gs = csv_rows("ground_state.csv")
assert len(gs) == 256 and all(r["spin"] in ("1", "-1") for r in gs)
assert -0.78 < e["best_energy_per_spin"] < -0.70, e["best_energy_per_spin"]
assert e["mode"] == "annealing" and len(e["replica_best_energy"]) == 8
assert min(e["replica_best_energy"]) == e["best_energy"]
ts = csv_rows("timeseries.csv")
betas = [float(r["beta"]) for r in ts if r["replica"] == "0"]
assert betas == sorted(betas) and abs(betas[-1] - 5.0) < 1e-12'

# Hopfield retrieval: P/N = 0.02, a cue with 20% of its spins flipped.
run hopfield 2 examples/hopfield.json --set sweeps=600
check hopfield "retrieves the cue pattern when cold, not when hot" '
rows = csv_rows("pattern_overlaps.csv")
cold = {int(r["pattern"]): float(r["overlap"]) for r in rows if r["temperature_index"] == "4"}
hot = {int(r["pattern"]): float(r["overlap"]) for r in rows if r["temperature_index"] == "0"}
assert cold[0] > 0.95, cold
assert max(abs(v) for k, v in cold.items() if k) < 0.2, cold
assert abs(hot[0]) < 0.2, hot
ts = csv_rows("timeseries.csv")
assert "m_pattern7" in ts[0]'

# Patterns from a file (0/1 encoding), cue pattern 1 with 3 of 24 spins flipped, two temperatures.
"$python" -c "
import random
random.seed(5)
print('# three random patterns')
for mu in range(3):
    print(' '.join(random.choice('01') for _ in range(24)))" > "$work/patterns.txt"
run hopfield-file 1 --set "instance={\"kind\":\"hopfield\",\"patterns_path\":\"$work/patterns.txt\",\"cue_pattern\":1,\"corruption\":0.125}" \
  --set 'temperatures={"betas":[0.5,4.0]}' --set sweeps=400
check hopfield-file "patterns read from a file; the cue (pattern 1) is retrieved when cold" '
rows = csv_rows("pattern_overlaps.csv")
cold = {int(r["pattern"]): float(r["overlap"]) for r in rows if r["temperature_index"] == "1"}
assert len(cold) == 3 and cold[1] > 0.9, cold
assert s["n_agents"] == 24'

# Mean field and TAP against a tempering run of SK N = 16 with random fields, and enumeration.
mf=(--set 'instance={"kind":"sk","n":16,"field_spread":0.5,"seed":4}'
    --set 'temperatures={"kind":"geometric","beta_min":0.2,"beta_max":1.0,"count":5}')
run mf-run 2 "${mf[@]}" --set sweeps=10000
if "$spinfer" meanfield "${mf[@]}" --compare "$work/mf-run" --out "$work/mf" > "$work/mf.log" 2>&1 &&
   "$python" tools/plot_meanfield.py "$work/mf" > /dev/null; then passed=$((passed + 1))
else echo "FAIL meanfield: exit code"; cat "$work/mf.log"; failures=$((failures + 1)); fi
if "$python" - "$work/mf/meanfield.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
naive = [s for s in r["solutions"] if s["kind"] == "naive"]
tap = [s for s in r["solutions"] if s["kind"] == "tap"]
assert len(naive) == len(tap) == 5 and all(s["converged"] for s in naive + tap)
# Both agree with enumeration at the hottest beta (the reaction term is O(beta^2) = 0.04 there);
# naive parts from it first, and more with every step down in temperature.
assert tap[0]["rms_vs_exact"] < 0.002 and naive[0]["rms_vs_exact"] < 0.01
assert all(t["rms_vs_exact"] < n["rms_vs_exact"] for t, n in zip(tap, naive))
assert all(a["rms_vs_exact"] < b["rms_vs_exact"] for a, b in zip(naive, naive[1:]))
# Against the run's samples: statistical noise of <s_i> (about 0.01 here) on top.
assert all(t["rms_vs_sampled"] < n["rms_vs_sampled"] for t, n in zip(tap[1:], naive[1:]))
PY
then echo "ok   meanfield: TAP closer than naive to samples and enumeration; both part with cooling"; passed=$((passed + 1))
else echo "FAIL meanfield: comparison"; failures=$((failures + 1)); fi

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
