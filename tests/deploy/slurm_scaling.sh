#!/usr/bin/env bash
# deploy/slurm/scaling.sh on a private single-node Slurm cluster: a weak and a strong series at
# 1 and 2 ranks are submitted, run, and collected into one table whose rows describe what ran.
# Usage: slurm_scaling.sh SPINFER. Exit 77 (skipped) without root or the Slurm packages.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
spinfer=$(readlink -f "$1")
source "$here/local_slurm.sh"
local_slurm_require

work=$(mktemp -d /tmp/spinfer-slurm-scaling.XXXXXX)
chmod 755 "$work"  # munged wants every directory above its socket traversable
trap 'local_slurm_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
fail() {
  echo "FAIL: $*"
  for log in "$work"/scaling/*.out; do
    [ -f "$log" ] && { echo "--- $log"; tail -n 20 "$log"; }
  done
  local_slurm_logs
  exit 1
}
local_slurm_start "$work/slurm" || fail "could not start the local Slurm cluster"

export SPINFER=$spinfer PYTHON=/usr/bin/python3
timeout 150 "$root/deploy/slurm/scaling.sh" submit "$work/scaling" --ranks 1,2 --tasks-per-node 2 \
  --weak-length 8 --strong-length 12 --sweeps 300 --wait -- --time=5 ||
  fail "scaling.sh submit --wait"
"$root/deploy/slurm/scaling.sh" collect "$work/scaling" > /dev/null || fail "scaling.sh collect"

# Weak: L = 8 * 2^(1/3) = 10.08 -> 10 at 2 ranks (500 agents each, 512 at 1 rank); strong: L = 12.
/usr/bin/python3 - "$work/scaling" <<'PY' || fail "scaling.csv does not describe the runs"
import csv, os, sys
rows = {(r["series"], int(r["ranks"])): r for r in csv.DictReader(open(os.path.join(sys.argv[1], "scaling.csv")))}
expected = {("weak", 1): (8, 512), ("weak", 2): (10, 1000), ("strong", 1): (12, 1728), ("strong", 2): (12, 1728)}
assert rows.keys() == expected.keys(), sorted(rows)
for key, (length, agents) in expected.items():
    r = rows[key]
    assert (int(r["length"]), int(r["agents"])) == (length, agents), (key, r)
    assert float(r["updates_per_second"]) > 0 and float(r["wall_seconds"]) > 0, (key, r)
    assert int(r["sweeps"]) == 300, (key, r)
for series in ("weak", "strong"):
    assert float(rows[(series, 1)]["speedup"]) == 1 and float(rows[(series, 1)]["efficiency"]) == 1
    assert float(rows[(series, 2)]["efficiency"]) > 0
table = open(os.path.join(sys.argv[1], "scaling.md")).read().splitlines()
assert len(table) == 2 + 4 and table[0].startswith("| series | ranks |"), table
print(open(os.path.join(sys.argv[1], "scaling.md")).read(), end="")
PY
echo "passed"
