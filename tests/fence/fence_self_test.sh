#!/usr/bin/env bash
# The fence must have teeth: on a copy of the tree, each forbidden include below, added alone,
# makes check_fence.py fail and name the line; the untouched copy passes.
# Usage: fence_self_test.sh REPOSITORY_ROOT
set -uo pipefail
root=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fresh_copy() {
  rm -rf "$work/tree" && mkdir -p "$work/tree"
  cp -r "$root/agents" "$root/comm" "$root/runtime" "$work/tree/"
}
expect() {  # expect pass|fail DESCRIPTION [FILE LINE-TO-ADD]
  local want=$1 what=$2
  fresh_copy
  [ $# -ge 4 ] && printf '%s\n' "$4" >> "$work/tree/$3"
  /usr/bin/python3 "$here/check_fence.py" "$work/tree" > "$work/out" 2>&1
  local rc=$?
  if { [ "$want" = pass ] && [ $rc -eq 0 ]; } ||
     { [ "$want" = fail ] && [ $rc -eq 1 ] && grep -q "^${3:-}:" "$work/out"; }; then
    echo "ok   $what"
  else
    echo "FAIL $what (exit $rc)"; sed 's/^/    /' "$work/out"; failures=$((failures + 1))
  fi
}
expect pass "the tree as it is"
expect fail "agents/ including comm/" agents/core/error.hpp '#include "comm/communicator.hpp"'
expect fail "agents/ including runtime/" agents/ising/ising_block.cpp '#include "runtime/run/run.hpp"'
expect fail "agents/ including protobuf" agents/exact/exact_oracle.hpp '#include "summary.pb.h"'
expect fail "agents/ including protobuf's headers" agents/core/colouring.cpp '#include <google/protobuf/message.h>'
expect fail "MPI outside comm/" runtime/run/run.cpp '#include <mpi.h>'
expect fail "Boost.MPI outside comm/" runtime/schedules/registry.cpp '#include <boost/mpi/communicator.hpp>'
expect fail "comm/ including runtime/" comm/halo_exchange.hpp '#include "runtime/config/config.hpp"'
expect fail "a room including a room above it" runtime/config/config.hpp '#include "runtime/run/run.hpp"'
expect fail "an agents room including a room above it" agents/core/weighted_graph.hpp '#include "agents/ising/ising_block.hpp"'
[ "$failures" -eq 0 ]
