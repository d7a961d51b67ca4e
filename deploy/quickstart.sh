#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a verified run: install what is missing, build,
# and run the embedded default configuration on 2 ranks. Extra arguments go to `spinfer run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"
source "$root/deploy/local-mpi-env.sh"
cd "$root"
# --overwrite: the quickstart is a demonstration, rerunning it replaces the previous one.
mpirun -np 2 build/spinfer run --out runs/quickstart --overwrite "$@"
