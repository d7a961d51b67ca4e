#!/usr/bin/env bash
# Every kind of bad input ends the run on every rank with one line naming the field and the
# value, exit code 2, and nothing written. Usage: bad_inputs.sh SPINFER MPIRUN
set -uo pipefail
spinfer=$1
mpirun=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0

printf '{"beta": 1,' > "$work/malformed.json"
printf '{"betta": 1}' > "$work/unknown-key.json"
printf '{"instance": {"kind": "sk", "n": "twelve"}}' > "$work/wrong-type.json"
printf '0 1 0.5\n1 2 nan\n' > "$work/nan.couplings"
printf '{"instance": {"kind": "coupling_list", "path": "%s"}}' "$work/nan.couplings" > "$work/nan-coupling.json"
printf '{"instance": {"kind": "coupling_list", "path": "%s"}}' "$work/absent.couplings" > "$work/missing-couplings.json"
printf '{"instance": {"kind": "edwards_anderson", "length": 4}}' > "$work/ea4.json"
printf '0 1 0.5\n1 0 x\n' > "$work/bad.directed"
printf '{"instance": {"kind": "directed_coupling_list", "path": "%s"}}' "$work/bad.directed" > "$work/bad-directed.json"

# A finished run to compare mean-field solutions with (of the default SK instance, seed 1).
mkdir -p "$work/sk-run"
printf '{"instance": {"kind": "sk", "n": 12, "distribution": "gaussian", "coupling_mean": 0, "coupling_scale": 1, "field": 0, "field_spread": 0, "seed": 1}, "beta": 0.8}' > "$work/sk-run/config.json"

# expect NAME RANKS EXPECTED_TEXT -- spinfer arguments...
# Cases run two at a time: most of each is mpirun waiting out its one-second kill timeout after
# a non-zero exit (odls_base_sigkill_timeout), not work. Each writes its verdict to a file; they
# are reported in order at the end.
cases=()
check_case() {
  local name=$1 text=$2 code=$3 out="$work/out-$1" stderr="$work/$1.stderr"
  local lines problem=""
  lines=$(grep -c 'spinfer: error' "$stderr")
  [ "$code" -eq 2 ] || problem="exit code $code, expected 2"
  [ -z "$problem" ] && [ "$lines" -ne 1 ] && problem="$lines error lines, expected exactly 1"
  [ -z "$problem" ] && ! grep 'spinfer: error' "$stderr" | grep -qF -- "$text" &&
    problem="message does not name '$text'"
  [ -z "$problem" ] && [ -e "$out" ] && problem="output directory was created"
  if [ -n "$problem" ]; then
    echo "FAIL $name: $problem"
    sed 's/^/    /' "$stderr" | head -5
  else
    echo "ok   $name: $(grep 'spinfer: error' "$stderr")"
  fi
}
expect() {
  local name=$1 ranks=$2 text=$3
  shift 4
  cases+=("$name")
  (
    "$mpirun" -np "$ranks" "$spinfer" "$@" --out "$work/out-$name" > /dev/null 2> "$work/$name.stderr"
    check_case "$name" "$text" $? > "$work/$name.result"
  ) &
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
}

expect malformed-json     2 "$work/malformed.json" -- run "$work/malformed.json"
expect unknown-key        2 "betta"                -- run "$work/unknown-key.json"
expect wrong-type         2 "instance.n"           -- run "$work/wrong-type.json"
expect missing-config     2 "$work/absent.json"    -- run "$work/absent.json"
expect nan-beta           2 "beta"                 -- run --set beta=NaN
expect wrong-type-set     2 "beta"                 -- run --set beta=hot
expect zero-sweeps        2 "sweeps = 0"           -- run --set sweeps=0
expect negative-spread    2 "instance.coupling_scale" -- run --set instance.coupling_scale=-1
expect unknown-schedule   2 "schedule"             -- run --set schedule=sideways
expect unknown-set-field  2 "nosuch"               -- run --set nosuch.field=1
expect unused-field       2 "instance.degree"      -- run --set instance.degree=3
expect nan-coupling-file  2 "nan.couplings:2"      -- run "$work/nan-coupling.json"
expect missing-couplings  2 "instance.path"        -- run "$work/missing-couplings.json"
expect clamped-range      2 "clamped[0].agent"     -- run --set 'clamped=[{"agent":40,"value":1}]'
expect clamped-value      2 "clamped[0].value"     -- run --set 'clamped=[{"agent":1,"value":0}]'
expect too-many-ranks     5 "ranks = 5"            -- run "$work/ea4.json"
ladder='temperatures={"betas":[0.5,1.0]}'
expect groups-divide      2 "layout.groups = 3"    -- run --set "$ladder" --set layout.groups=3
expect groups-systems     2 "layout.groups = 2"    -- run --set 'temperatures={"betas":[1]}' --set replicas=1 --set layout.groups=2
expect group-too-small    4 "layout.groups"        -- run --set 'instance={"kind":"edwards_anderson","length":3}' --set "$ladder" --set layout.groups=1
expect ladder-order       2 "temperatures.betas"   -- run --set 'temperatures={"betas":[1.0,0.5]}'
expect ladder-geometric   2 "temperatures.count"   -- run --set 'temperatures={"kind":"geometric","beta_min":0.1,"beta_max":1}'
expect retune-short       2 "burn_in = 20 is too short" -- run --set 'temperatures={"betas":[0.5,0.7,1.0],"retune":{"rounds":50}}' --set burn_in=20
expect swap-interval      2 "tempering.swap_interval" -- run --set "$ladder" --set tempering.swap_interval=-2
expect anneal-kind        2 "annealing.kind"       -- run --set 'annealing={"beta_start":0.1,"beta_end":2}'
expect anneal-and-ladder  2 "annealing"            -- run --set 'annealing={"kind":"linear","beta_start":0.1,"beta_end":2}' --set "$ladder"
expect replicas-plain     2 "replicas"             -- run --set replicas=4
expect chains-ensemble    2 "chains = 3"           -- run --set "$ladder" --set chains=3
expect ensemble-sync      2 "schedule = synchronous" -- run --set "$ladder" --set schedule=synchronous
expect ensemble-alpha     2 "policy_precision = 2" -- run --set "$ladder" --set policy_precision=2
expect ensemble-asymmetry 2 "instance.asymmetry = 0.5" -- run --set "$ladder" --set instance.asymmetry=0.5
expect ensemble-bias      2 "bias_reference"       -- run --set "$ladder" --set bias_reference=true
expect hopfield-file      2 "instance.patterns_path" -- run --set 'instance={"kind":"hopfield","patterns_path":"/nonexistent/patterns.txt"}'
expect hopfield-corrupt   2 "instance.corruption"  -- run --set 'instance={"kind":"hopfield","n":20,"patterns":2,"corruption":2}'
expect meanfield-compare  1 "--compare"            -- meanfield --compare "$work/sk-run"
expect meanfield-instance 1 "another instance"     -- meanfield --set instance.seed=9 --compare "$work/sk-run"
expect bench-tempering    1 "--tempering"          -- bench --tempering 16,32
expect bad-seed           2 "--seed"               -- run --seed -3
expect bad-argument       2 "--frobnicate"         -- run --frobnicate
expect unknown-command    2 "command"              -- simulate
# Fragility knobs.
expect bad-alpha          2 "policy_precision = -1" -- run --set policy_precision=-1
expect alpha-with-mode    2 "policy_precision"     -- run --set action=posterior_mode --set policy_precision=2
expect staleness-unused   2 "staleness = 2"        -- run --set staleness=2
expect bad-staleness      2 "staleness = -1"       -- run --set schedule=stale --set staleness=-1
expect too-many-domains   2 "stale_domains = 40"   -- run --set schedule=stale --set stale_domains=40
expect bad-kernel-agents  2 "max_kernel_agents"    -- run --set max_kernel_agents=13
expect nan-asymmetry      2 "instance.asymmetry"   -- run --set instance.asymmetry=NaN
expect bad-directed-file  2 "bad.directed:2"       -- run "$work/bad-directed.json"
expect unknown-knob       2 "--knob"               -- fragility --knob temperature --values 1
expect missing-values     2 "--values"             -- fragility --knob asymmetry
expect bad-knob-value     2 "instance.asymmetry"   -- fragility --knob asymmetry --values 0,NaN

wait
for name in "${cases[@]}"; do
  cat "$work/$name.result"
  if grep -q '^ok ' "$work/$name.result"; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
done

# Nothing may have been written in the working directory's default location either.
[ -e runs/default-seed1 ] && [ "$(find runs/default-seed1 -newer "$work/ea4.json" | wc -l)" -gt 0 ] &&
  { echo "FAIL: something was written to runs/default-seed1"; failures=$((failures + 1)); }

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
