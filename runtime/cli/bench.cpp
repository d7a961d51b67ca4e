#include "runtime/cli/bench.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime/cli/bench_population.hpp"
#include "runtime/io/version.hpp"

namespace spinfer {
namespace {

// Seconds for `sweeps` sweeps, the slowest rank's.
double time_sweeps(const comm::Communicator& comm, BenchPopulation& chain, std::int64_t first,
                   std::int64_t sweeps) {
  comm.barrier();
  const double start = comm.wall_time();
  for (std::int64_t s = 0; s < sweeps; ++s) chain.sweep(static_cast<std::uint64_t>(first + s));
  return comm.max(comm.wall_time() - start);
}

struct Measurement {
  double updates_per_second = 0;
  double seconds = 0;
  std::int64_t sweeps = 0;
  bool lookup_table = false;
};

Measurement measure(const comm::Communicator& comm, int length, double min_seconds) {
  BenchPopulation chain(comm, length);
  time_sweeps(comm, chain, 0, 3);  // warm caches and halo buffers
  const double probe = time_sweeps(comm, chain, 3, 10);
  const auto sweeps =
      static_cast<std::int64_t>(std::ceil(10 * min_seconds / std::max(probe, 1e-9)));
  Measurement m;
  m.sweeps = std::max<std::int64_t>(sweeps, 10);
  m.seconds = time_sweeps(comm, chain, 13, m.sweeps);
  m.updates_per_second = static_cast<double>(chain.agents()) * m.sweeps / m.seconds;
  m.lookup_table = chain.population().block().uses_lookup_table();
  return m;
}

}  // namespace

void run_bench(const comm::Communicator& world, const BenchOptions& options, std::ostream& out) {
  std::vector<int> rank_counts{1};
  if (world.size() > 1) rank_counts.push_back(world.size());
  if (world.is_root()) {
    out << "spinfer bench " << kVersion << " (" << kBuildType << ", " << kCompiler << ")\n"
        << "chromatic heat-bath sweeps, 3D +-J Edwards-Anderson, periodic L^3 lattice\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%6s %6s %10s %16s %18s %9s\n", "L", "ranks", "sweeps",
                  "updates/s", "updates/s/rank", "speedup");
    out << line;
  }
  for (const int length : options.lengths) {
    double single = 0;
    for (const int ranks : rank_counts) {
      const comm::Communicator group = world.split(world.rank() < ranks ? 0 : 1, world.rank());
      Measurement m;
      if (world.rank() < ranks) m = measure(group, length, options.min_seconds);
      world.barrier();
      if (!world.is_root()) continue;
      if (ranks == 1) single = m.updates_per_second;
      char line[160];
      std::snprintf(line, sizeof line, "%6d %6d %10lld %16.3e %18.3e %8.2fx\n", length, ranks,
                    static_cast<long long>(m.sweeps), m.updates_per_second,
                    m.updates_per_second / ranks, m.updates_per_second / single);
      out << line << std::flush;
    }
  }
}

}  // namespace spinfer
