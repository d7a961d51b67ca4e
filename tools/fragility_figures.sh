#!/usr/bin/env bash
# Rebuilds the README's fragility figures: docs/fragility-sk10.png (SK N = 10, exact kernel
# references) and docs/fragility-ea32.png (2D +-J EA 32 x 32, biases against the exact schedule),
# one panel column per knob. Each knob is one `spinfer fragility` sweep; the tables stay in
# runs/fragility-figures/ for inspection. About 10 minutes on 2 cores.
# Usage: tools/fragility_figures.sh [SPINFER] [RANKS]     (from the repository root)
set -euo pipefail
spinfer=${1:-build/spinfer}
ranks=${2:-2}
out=runs/fragility-figures
mkdir -p "$out" docs
sweep() {  # sweep NAME CONFIG KNOB VALUES spinfer-arguments...
  local name=$1 config=$2 knob=$3 values=$4
  shift 4
  echo "== $name: $knob = $values"
  mpirun -np "$ranks" "$spinfer" fragility "$config" --knob "$knob" --values "$values" \
    --out "$out/$name" --overwrite --no-plot "$@"
}

sk=examples/fragility-asymmetry-sk10.json
sym=(--set instance.asymmetry=0 --set sweeps=100000)
sweep sk-asymmetry "$sk" asymmetry 0,0.1,0.25,0.5,0.75,1,1.5,2 --set sweeps=100000
sweep sk-alpha "$sk" policy_precision 0,0.25,0.5,0.75,1,1.5,2,3 "${sym[@]}"
sweep sk-staleness "$sk" staleness 0,1,2,3,5 "${sym[@]}" --set stale_domains=2
sweep sk-schedule "$sk" schedule random_sequential,chromatic,synchronous,asynchronous \
  "${sym[@]}" --set measure_interval=1
/usr/bin/python3 tools/plot_fragility.py "$out"/sk-{asymmetry,alpha,staleness,schedule} \
  --out docs/fragility-sk10.png --title "SK N = 10, beta = 1: exact kernel laws and entropy production"

ea=examples/fragility-schedule-ea32.json
base=(--set schedule=chromatic --set sweeps=20000 --set measure_interval=1)
sweep ea-asymmetry "$ea" asymmetry 0,0.1,0.25,0.5,1 "${base[@]}"
sweep ea-alpha "$ea" policy_precision 0.5,0.75,1,1.25,1.5 "${base[@]}"
sweep ea-staleness "$ea" staleness 0,1,2,4,8 "${base[@]}" --set stale_domains=4
sweep ea-schedule "$ea" schedule random_sequential,chromatic,synchronous,asynchronous \
  "${base[@]}" --set measure_interval=10
/usr/bin/python3 tools/plot_fragility.py "$out"/ea-{asymmetry,alpha,staleness,schedule} \
  --out docs/fragility-ea32.png \
  --title "2D +-J EA 32 x 32, beta = 0.6: biases against the exact (chromatic) schedule"
