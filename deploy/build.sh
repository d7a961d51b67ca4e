#!/usr/bin/env bash
# Configures and builds spinfer (Release) into build/ at the repository root. Idempotent:
# reruns only what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" > "$root/build.log" 2>&1 ||
  { cat "$root/build.log" >&2; exit 1; }
cmake --build "$root/build" -j "$(nproc)" >> "$root/build.log" 2>&1 ||
  { tail -n 60 "$root/build.log" >&2; exit 1; }
echo "spinfer: built $root/build/spinfer"
