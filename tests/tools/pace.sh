# shellcheck shell=bash
# Run lengths for tests that interrupt a run while it is going. A fixed sweep count is over in
# a second on a fast idle machine and takes minutes under a sanitizer on a loaded one, so a
# SIGKILL or SIGTERM aimed "at 25%" either misses the run or makes the test needlessly slow.
# These tests instead time the very configuration they interrupt, here and now, and size it to
# last a given number of seconds. Sourced, not run:
#   source pace.sh; sweeps=$(sweeps_lasting 10 mpirun -np 2 spinfer run CONFIG --set ...)

# sweeps_lasting SECONDS COMMAND...
# COMMAND is a `spinfer run` (with its launcher) to which --set sweeps, --out, --overwrite and
# --quiet can be appended. Prints a sweep count (a multiple of 1000) for which it lasts about
# SECONDS of wall time. Doubles a trial run until it takes at least a second, so start-up costs
# do not inflate the estimate.
sweeps_lasting() {
  local seconds=$1
  shift
  local trial_dir sweeps=4000 wall
  trial_dir=$(mktemp -d)
  while :; do
    if ! "$@" --set sweeps=$sweeps --out "$trial_dir/run" \
        --overwrite --quiet > "$trial_dir/log" 2>&1; then
      echo "sweeps_lasting: the trial run failed:" >&2
      cat "$trial_dir/log" >&2
      rm -rf "$trial_dir"
      return 1
    fi
    wall=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['wall_seconds'])" \
      "$trial_dir/run/summary.json")
    if /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 1 else 1)" "$wall" ||
       [ "$sweeps" -ge 100000000 ]; then
      break
    fi
    sweeps=$((sweeps * 2))
  done
  rm -rf "$trial_dir"
  /usr/bin/python3 -c "import sys; s, t, w = map(float, sys.argv[1:]); print(max(1000, int(s * t / w) // 1000 * 1000))" \
    "$sweeps" "$seconds" "$wall"
}
