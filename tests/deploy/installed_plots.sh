#!/usr/bin/env bash
# An installed spinfer draws its figures without the source tree: `cmake --install` into a
# temporary prefix, then `spinfer fragility` run from an empty directory with only the installed
# files must write fragility.png (the script is found beside the binary, share/spinfer/tools/).
# Usage: installed_plots.sh BUILD_DIR MPIRUN
set -uo pipefail
build=$1
mpirun=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
  { echo "FAIL cmake --install"; cat "$work/install.log"; exit 1; }
for f in bin/spinfer share/spinfer/tools/plot_fragility.py share/spinfer/examples/sk-n12.json; do
  [ -e "$work/prefix/$f" ] || { echo "FAIL not installed: $f"; exit 1; }
done
mkdir "$work/elsewhere" && cd "$work/elsewhere" || exit 1
"$mpirun" -np 1 "$work/prefix/bin/spinfer" fragility "$work/prefix/share/spinfer/examples/fragility-alpha.json" \
  --knob policy_precision --values 1,2 --set sweeps=2000 --out study --quiet > "$work/run.log" 2>&1 ||
  { echo "FAIL spinfer fragility"; cat "$work/run.log"; exit 1; }
if [ -s study/fragility.png ] && ! grep -q "not drawn" "$work/run.log"; then
  echo "ok   the installed spinfer drew study/fragility.png from $(pwd)"
else
  echo "FAIL no figure"; cat "$work/run.log"; exit 1
fi
