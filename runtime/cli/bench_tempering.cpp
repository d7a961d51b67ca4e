#include "runtime/cli/bench_tempering.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/cli/bench_population.hpp"
#include "runtime/run/process_clock.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {
namespace {

struct Rate {
  double wall = 0;  // updates per second per core, by wall-clock time
  double cpu = 0;   // by CPU time
};

// Per-core updates per second of one chromatic chain on one rank (the reference).
Rate single_replica_rate(const comm::Communicator& one, int length, double min_seconds) {
  BenchPopulation chain(one, length);
  const auto time = [&](std::int64_t first, std::int64_t sweeps) {
    const double start = one.wall_time();
    for (std::int64_t s = 0; s < sweeps; ++s) chain.sweep(static_cast<std::uint64_t>(first + s));
    return one.wall_time() - start;
  };
  time(0, 5);
  const double probe = time(5, 20);
  const auto sweeps = std::max<std::int64_t>(
      20, static_cast<std::int64_t>(std::ceil(20 * min_seconds / std::max(probe, 1e-9))));
  const double updates = static_cast<double>(chain.agents()) * static_cast<double>(sweeps);
  const double cpu = process_cpu_seconds();
  const double wall = time(25, sweeps);
  return {updates / wall, updates / (process_cpu_seconds() - cpu)};
}

RunConfig tempering_config(const TemperingBenchOptions& o, std::int64_t sweeps, int measure) {
  ConfigSource source;
  source.overrides = {
      R"(instance={"kind":"edwards_anderson","dimensions":3,"length":)" + std::to_string(o.length) +
          R"(,"seed":1})",
      R"(temperatures={"kind":"geometric","beta_min":0.3,"beta_max":1.2,"count":)" +
          std::to_string(o.temperatures) + "}",
      "replicas=" + std::to_string(o.replicas),
      "tempering.swap_interval=" + std::to_string(o.swap_interval),
      "sweeps=" + std::to_string(sweeps),
      "burn_in=0",
      "measure_interval=" + std::to_string(measure),
  };
  return resolve_config(source);
}

// Per-core rate of the ensemble driver's sweep loop (summary.updates_per_second times its wall
// time excludes setup and the final analysis).
struct TemperingRate {
  Rate per_core;
  std::int64_t sweeps = 0;
  std::string layout;
};

TemperingRate tempering_rate(const comm::Communicator& world, const TemperingBenchOptions& o,
                             int measure) {
  std::int64_t sweeps = 20;
  double seconds = 0, cpu = 0;
  RunResult r;
  for (;;) {  // grow the run until it lasts min_seconds
    // measure 0: one measurement, at the end.
    const RunConfig config = tempering_config(o, sweeps, measure > 0 ? measure : sweeps);
    r = run(config, world);
    cpu = r.cpu_seconds;
    world.sum_in_place(std::span<double>(&cpu, 1));
    double wall = r.summary.wall_seconds();
    world.sum_in_place(std::span<double>(&wall, 1));  // rank 0 knows it; share the decision
    seconds = wall;
    if (seconds >= o.min_seconds) break;
    sweeps = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(sweeps) * 1.2 * o.min_seconds / std::max(seconds, 1e-3)));
    if (measure > 0) sweeps = (sweeps + measure - 1) / measure * measure;
  }
  const double updates = std::pow(static_cast<double>(o.length), 3) * o.temperatures * o.replicas *
                         static_cast<double>(sweeps);
  return {{r.summary.updates_per_second() / world.size(), updates / cpu},
          sweeps,
          r.summary.provenance().layout()};
}

}  // namespace

void run_tempering_bench(const comm::Communicator& world, const TemperingBenchOptions& o,
                         std::ostream& out) {
  // Every rank runs its own single replica at once, so the reference sees the same load on the
  // machine (other processes, memory bandwidth) as the tempering run on all ranks; the rounds
  // alternate and the best of each kind counts, which discounts passing interference.
  const comm::Communicator self = world.split(world.rank(), 0);
  Rate reference;
  TemperingRate plain, measured;
  const auto best = [](TemperingRate& kept, const TemperingRate& r) {
    kept.per_core.wall = std::max(kept.per_core.wall, r.per_core.wall);
    kept.per_core.cpu = std::max(kept.per_core.cpu, r.per_core.cpu);
    kept.layout = r.layout;
  };
  for (int round = 0; round < o.rounds; ++round) {
    world.barrier();
    Rate mine = single_replica_rate(self, o.length, o.min_seconds);
    std::array<double, 2> both{mine.wall, mine.cpu};
    world.sum_in_place(both);
    reference.wall = std::max(reference.wall, both[0] / world.size());
    reference.cpu = std::max(reference.cpu, both[1] / world.size());
    best(plain, tempering_rate(world, o, /*measure=*/0));
    best(measured, tempering_rate(world, o, o.measure_interval));
  }
  if (!world.is_root()) return;
  char line[200];
  out << "\nparallel tempering: 3D +-J L=" << o.length << ", " << o.temperatures
      << " temperatures x " << o.replicas << " replicas, swaps every " << o.swap_interval
      << " sweep(s), " << world.size() << " ranks (" << plain.layout << "); best of " << o.rounds
      << " rounds\n";
  std::snprintf(line, sizeof line, "  %-44s %22s %22s\n", "updates/s per core", "by wall clock",
                "by CPU time");
  out << line;
  std::snprintf(line, sizeof line, "  %-44s %14.3e         %14.3e\n",
                "single replica, chromatic, one per rank", reference.wall, reference.cpu);
  out << line;
  const auto row = [&](const std::string& name, const Rate& r) {
    std::snprintf(line, sizeof line, "  %-44s %14.3e %5.1f%%  %14.3e %5.1f%%\n", name.c_str(),
                  r.wall, 100 * r.wall / reference.wall, r.cpu, 100 * r.cpu / reference.cpu);
    out << line;
  };
  row("tempering, no observables", plain.per_core);
  row("tempering, observables every " + std::to_string(o.measure_interval) + " sweeps",
      measured.per_core);
  out << std::flush;
}

}  // namespace spinfer
