#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, build, run every test through
# CTest (unit tests, MPI tests at 1-4 ranks, statistical verification, command-line tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"
source "$root/deploy/local-mpi-env.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
