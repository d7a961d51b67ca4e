#!/usr/bin/env bash
# Configures and builds spinfer (Release, the `release` CMake preset) into build/ at the
# repository root. Idempotent: reruns only what changed. Extra arguments go to the configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cmake --preset release "$@" > "$root/build.log" 2>&1 ||
  { cat "$root/build.log" >&2; exit 1; }
cmake --build --preset release -j "$(nproc)" >> "$root/build.log" 2>&1 ||
  { tail -n 60 "$root/build.log" >&2; exit 1; }
echo "spinfer: built $root/build/spinfer"
