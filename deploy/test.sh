#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, then three stages, each built
# with its CMake preset and run through CTest:
#   release  build/       unit tests, MPI tests at 1-4 ranks, statistical verification, CLI, format
#   asan     build-asan/  the same suite under AddressSanitizer and UndefinedBehaviorSanitizer
#   fuzz     build-fuzz/  the config and coupling-list fuzzers, each for a bounded time
# Usage: deploy/test.sh [--quick] [CTEST ARGUMENTS...]
#   --quick runs the release stage only; ctest arguments (say -R unit/) go to the release and
#   asan stages.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1
  shift
fi
"$root/deploy/install-deps.sh"
source "$root/deploy/local-mpi-env.sh"
cd "$root"

stage() {
  echo "spinfer: === stage $1: $2 ==="
  stage_start=$SECONDS
}
stage_done() {
  echo "spinfer: === stage $1 passed in $((SECONDS - stage_start)) s ==="
}

# Configure and build quietly into LOG; show the log's end only when something fails.
build_preset() {
  local preset=$1 log="$root/build-$1/build.log"
  mkdir -p "$root/build-$preset"
  { cmake --preset "$preset" && cmake --build --preset "$preset" -j "$(nproc)"; } > "$log" 2>&1 ||
    { tail -n 60 "$log" >&2; echo "spinfer: $preset build failed, full log in $log" >&2; exit 1; }
}

stage release "build/ and the whole suite"
"$root/deploy/build.sh"
ctest --preset release -j "$(nproc)" "$@"
stage_done release
[ "$quick" -eq 1 ] && exit 0

stage asan "build-asan/ and the whole suite under ASan and UBSan"
build_preset asan
ctest --preset asan -j "$(nproc)" "$@"
stage_done asan

stage fuzz "build-fuzz/ and bounded fuzzer runs"
build_preset fuzz
ctest --preset fuzz -j "$(nproc)"
stage_done fuzz
