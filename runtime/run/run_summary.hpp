#pragma once
// What every run's summary.json says of it, whatever its kind: what was run (configuration,
// seed, population, schedule), its final state's hash, how fast, and the provenance record
// (version, build, MPI library, ranks and layout, hosts, segments, command line).
#include <cstdint>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "summary.pb.h"

namespace spinfer {

struct RunFacts {
  std::int64_t n_agents = 0;
  std::int64_t acting_agents = 0;  // those that take turns (not clamped)
  int systems = 0;                 // chains, or replicas x temperatures
  std::int64_t measured_samples = 0;
  std::string instance;
  double precision_asymmetry = 0;
  std::uint64_t final_state_hash = 0;
  double total_wall = 0;         // every segment's sweep loop
  double segment_wall = 0;       // this segment's
  std::int64_t first_sweep = 0;  // where this segment began
  int segments = 1;
  std::string layout;  // how the ranks shared the population
  std::vector<std::string> hosts;
  std::string command_line;
};

// Rank 0.
void fill_run_summary(record::Summary& summary, const RunConfig& config, const RunFacts& facts,
                      int ranks);

// The distinct host names of the ranks, on rank 0. Collective.
std::vector<std::string> distinct_hosts(const comm::Communicator& comm);

// 16 lower-case hex digits.
std::string hex(std::uint64_t value);

}  // namespace spinfer
