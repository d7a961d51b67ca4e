#pragma once
// `spinfer bench`: agent updates per second of the chromatic schedule on the 3D +-J
// Edwards-Anderson lattice, on one rank and on all ranks of the launch.
#include <ostream>
#include <vector>

#include "comm/communicator.hpp"

namespace spinfer {

struct BenchOptions {
  std::vector<int> lengths{32, 64};
  double min_seconds = 2.0;  // timed sweeps per case last at least this long
};

void run_bench(const comm::Communicator& world, const BenchOptions& options, std::ostream& out);

}  // namespace spinfer
