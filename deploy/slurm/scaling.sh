#!/usr/bin/env bash
# Weak- and strong-scaling study of spinfer on a Slurm cluster: chromatic heat-bath runs of the
# 3D +-J Edwards-Anderson lattice (beta 0.5), one job of deploy/slurm/spinfer.sbatch per point.
#
#   scaling.sh submit DIR [--ranks 1,2,4,8] [--tasks-per-node T] [--weak-length L0]
#                         [--strong-length L] [--sweeps S] [--wait] [-- sbatch options...]
#   scaling.sh collect DIR            # DIR/scaling.csv and DIR/scaling.md (also printed)
#
# Weak series: agents per rank fixed, L = L0 * P^(1/3) rounded to an even side (the table gives
# the agents per rank actually obtained). Strong series: fixed L on every rank count; a rank
# needs at least one lattice plane, so P <= L. Speedup and efficiency are relative to the
# smallest rank count of each series, from the updates per second of the sweep loop (start-up
# and output excluded). --wait blocks until every job has left the queue, then collects.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

submit() {
  local dir=$1
  shift
  local ranks=1,2,4,8 per_node=32 weak_length=32 strong_length=64 sweeps=2000 wait=0
  while [ $# -gt 0 ]; do
    case $1 in
      --ranks) ranks=$2; shift 2 ;;
      --tasks-per-node) per_node=$2; shift 2 ;;
      --weak-length) weak_length=$2; shift 2 ;;
      --strong-length) strong_length=$2; shift 2 ;;
      --sweeps) sweeps=$2; shift 2 ;;
      --wait) wait=1; shift ;;
      --) shift; break ;;
      *) usage ;;
    esac
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  : > "$dir/jobs.txt"
  local jobs=() p series length nodes id
  for p in ${ranks//,/ }; do
    for series in weak strong; do
      if [ "$series" = weak ]; then
        length=$(awk -v l="$weak_length" -v p="$p" 'BEGIN { print 2 * int(l * p^(1/3) / 2 + 0.5) }')
      else
        length=$strong_length
      fi
      nodes=$(((p + per_node - 1) / per_node))
      id=$(sbatch --parsable --nodes="$nodes" --ntasks="$p" \
        --ntasks-per-node="$((p < per_node ? p : per_node))" \
        --job-name="spinfer-$series-np$p" --output="$dir/$series-np$p.out" "$@" \
        "$here/spinfer.sbatch" "$dir/$series-np$p" --quiet \
        --set name="$series-np$p" --set beta=0.5 --set sweeps="$sweeps" --set burn_in=0 \
        --set measure_interval=10 --set chains=2 \
        --set "instance={\"kind\":\"edwards_anderson\",\"dimensions\":3,\"length\":$length,\"distribution\":\"bimodal\"}")
      echo "$series $p $length $id" >> "$dir/jobs.txt"
      echo "submitted $series np$p (L = $length): job $id"
      jobs+=("$id")
    done
  done
  if [ "$wait" -eq 1 ]; then
    local pending
    while pending=$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" 2> /dev/null) && [ -n "$pending" ]; do
      sleep 2
    done
    collect "$dir"
  fi
}

collect() {
  "${PYTHON:-python3}" - "$1" <<'PY'
import csv, glob, json, os, re, sys

directory = sys.argv[1]
rows = []
for path in sorted(glob.glob(os.path.join(directory, "*-np*", "summary.json"))):
    series, ranks = re.match(r"(\w+)-np(\d+)$", os.path.basename(os.path.dirname(path))).groups()
    s = json.load(open(path))
    p = s.get("provenance", {})
    rows.append({
        "series": series,
        "ranks": int(ranks),
        "length": s["config"]["instance"]["length"],
        "agents": s["n_agents"],
        "agents_per_rank": s["n_agents"] / int(ranks),
        "sweeps": s["sweeps"] + s.get("burn_in", 0),
        "wall_seconds": s.get("wall_seconds", p.get("wall_seconds")),
        "updates_per_second": s["updates_per_second"],
    })
if not rows:
    sys.exit(f"scaling.sh: no */summary.json under {directory} yet")
rows.sort(key=lambda r: (r["series"] != "weak", r["ranks"]))
for series in ("weak", "strong"):
    points = [r for r in rows if r["series"] == series]
    if not points:
        continue
    base = points[0]
    for r in points:
        r["updates_per_second_per_rank"] = r["updates_per_second"] / r["ranks"]
        # Weak: per-rank rate kept; strong: total rate grown in proportion to the ranks.
        r["speedup"] = r["updates_per_second"] / base["updates_per_second"]
        r["efficiency"] = r["updates_per_second_per_rank"] / base["updates_per_second_per_rank"]

columns = ["series", "ranks", "length", "agents", "agents_per_rank", "sweeps", "wall_seconds",
           "updates_per_second", "updates_per_second_per_rank", "speedup", "efficiency"]
with open(os.path.join(directory, "scaling.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)

def cell(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)

lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in rows]
table = "\n".join(lines) + "\n"
open(os.path.join(directory, "scaling.md"), "w").write(table)
print(table, end="")
expected = sum(1 for _ in open(os.path.join(directory, "jobs.txt"))) if os.path.exists(
    os.path.join(directory, "jobs.txt")) else len(rows)
if len(rows) < expected:
    print(f"scaling.sh: {expected - len(rows)} of {expected} points have no summary.json "
          f"(see {directory}/*.out)", file=sys.stderr)
    sys.exit(1)
PY
}

[ $# -ge 2 ] || usage
command=$1
shift
case $command in
  submit) submit "$@" ;;
  collect) collect "$1" ;;
  *) usage ;;
esac
