// One segment on one rank: it measures where the configuration says, stops on a signal with a
// checkpoint, and a segment resumed from that checkpoint ends exactly where an uninterrupted one
// does.
#include <doctest/doctest.h>

#include "runtime/io/checkpoint.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/run.hpp"
#include "runtime/run/run_kinds.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::config_with;

struct Prepared {
  RunConfig config;
  RunInputs inputs;
  std::unique_ptr<RunKind> kind;
  explicit Prepared(RunConfig c)
      : config(std::move(c)),
        inputs(prepare_run(config, 1)),
        kind(inputs.ensemble ? ensemble_run(config, inputs) : one_beta_run(config, inputs)) {}
  std::unique_ptr<IsingSegment> segment(const RunOptions& options) const {
    return std::make_unique<IsingSegment>(config, ising_population(config, inputs), kind->plan(),
                                          inputs.scales, testing::self(), options);
  }
};

std::vector<RunConfig> configs() {
  return {
      config_with({R"(instance={"kind":"sk","n":8,"seed":2})", "sweeps=400", "burn_in=37",
                   "measure_interval=3", "checkpoint.interval_sweeps=50"}),
      config_with({R"(instance={"kind":"edwards_anderson","length":4,"seed":2})",
                   R"(temperatures={"kind":"geometric","beta_min":0.3,"beta_max":1.2,"count":4})",
                   "replicas=2", "sweeps=400", "burn_in=40", "checkpoint.interval_sweeps=50"})};
}

}  // namespace

TEST_CASE("segment: measures after burn-in every measure_interval sweeps, to the end") {
  const Prepared p(configs().front());
  RunOptions options;
  auto segment = p.segment(options);
  CHECK(segment->run() == 437);
  CHECK_FALSE(segment->interrupted());
  CHECK(segment->sample_sweeps() == measured_sweeps(p.config, 437));
  CHECK(segment->sample_sweeps().front() == 40);
  CHECK(segment->observer().recorded() ==
        static_cast<std::int64_t>(segment->sample_sweeps().size()));
}

TEST_CASE("segment: a signal stops it with a checkpoint; resuming ends as if never stopped") {
  for (const RunConfig& config : configs()) {
    const Prepared p(config);
    const comm::Communicator& self = testing::self();
    RunOptions plain;
    auto whole = p.segment(plain);
    whole->run();

    testing::TempDir dir;
    RunOptions to_dir;
    to_dir.directory = dir.path().string();
    auto first = p.segment(to_dir);
    set_interrupt_signal_for_testing(15);  // as if SIGTERM had arrived
    const std::int64_t stopped = first->run();
    set_interrupt_signal_for_testing(0);
    CHECK(first->interrupted());
    CHECK(stopped < p.config.sweeps() + p.config.burn_in());
    ResumePoint point;
    point.checkpoint = read_checkpoint(to_dir.directory);
    point.series = read_series(to_dir.directory, point.checkpoint.series());
    CHECK(point.checkpoint.completed_sweeps() == stopped);
    RunOptions resumed = to_dir;
    resumed.resume = &point;
    auto second = p.segment(resumed);
    CHECK(second->first_sweep() == stopped);
    second->run();
    CHECK(second->segments() == 2);
    CHECK(second->population().state_hash(self) == whole->population().state_hash(self));
    CHECK(second->observer().magnetizations(self, second->population()) ==
          whole->observer().magnetizations(self, whole->population()));
    CHECK(second->sample_sweeps() == whole->sample_sweeps());
    if (!p.inputs.ensemble)
      CHECK(second->observer().chain_series()[1].energy ==
            whole->observer().chain_series()[1].energy);
    else
      CHECK(second->observer().series().overlap == whole->observer().series().overlap);
  }
}

}  // namespace spinfer
