#pragma once
// The parallel-tempering part of `spinfer bench`: R replicas x T temperatures of the 3D +-J
// lattice through the real ensemble driver (swaps, energies, observables), against the
// single-replica chromatic rate on one rank. The per-core rates are what the 90% target
// compares.
#include <ostream>

#include "comm/communicator.hpp"
#include "runtime/cli/bench.hpp"

namespace spinfer {

struct TemperingBenchOptions {
  int length = 16;
  int temperatures = 32;
  int replicas = 2;
  int swap_interval = 1;
  int measure_interval = 10;
  double min_seconds = 2.0;
  int rounds = 5;
};

void run_tempering_bench(const comm::Communicator& world, const TemperingBenchOptions& options,
                         std::ostream& out);

}  // namespace spinfer
