#!/usr/bin/env bash
# Installs the Debian 12 packages spinfer needs, only those missing. As root it runs apt-get;
# otherwise it prints the exact command to run and stops. Idempotent.
set -euo pipefail
packages=(
  g++ cmake make git clang-format
  openmpi-bin libopenmpi-dev libboost-mpi-dev
  libeigen3-dev libprotobuf-dev protobuf-compiler
  doctest-dev librandom123-dev
  python3-numpy python3-matplotlib
  slurm-wlm munge  # tests/deploy: a private localhost Slurm cluster (no system config is used)
  # The fuzz stage of deploy/test.sh: clang's libFuzzer and sanitizer runtimes are only a
  # Recommends of clang, and llvm provides llvm-symbolizer for readable fuzzer stack traces.
  clang libclang-rt-14-dev llvm
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "spinfer: all build dependencies are installed"
  exit 0
fi
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "spinfer: missing Debian packages. Run as root (or with sudo):" >&2
  echo "  apt-get update && $line" >&2
  exit 1
fi
echo "spinfer: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
