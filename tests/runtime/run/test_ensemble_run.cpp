#include <doctest/doctest.h>

#include "tests/runtime/run/test_run_kinds.hpp"

namespace spinfer {

TEST_CASE("ensemble run: its plan, its running status and its completed summary") {
  testing::PreparedRun p(testing::config_with(
      {R"(instance={"kind":"edwards_anderson","length":4,"seed":5})",
       R"(temperatures={"betas":[0.3,0.6,0.9]})", "replicas=2", "sweeps=2000", "burn_in=200"}));
  const MeasurementPlan plan = p.kind->plan();
  CHECK_FALSE(plan.chain_series);
  CHECK(plan.temperatures == 3);
  CHECK(plan.replica_overlaps);
  p.segment->run();
  record::Status status;
  p.kind->describe(*p.segment, status, "running");
  CHECK(status.measured_samples() == 2000);
  CHECK(status.magnetization() > 0);  // |m| at the coldest temperature
  RunResult result;
  p.kind->complete(*p.segment, testing::self(), {}, result);
  const record::Ensemble& e = result.summary.ensemble();
  CHECK(e.mode() == "tempering");
  CHECK(e.temperatures() == 3);
  CHECK(e.swaps_size() == 2);
  CHECK(e.observables_size() == 3);
  CHECK(result.summary.beta() == 0.9);
  CHECK(result.summary.energy_per_agent() == e.observables(2).energy_per_spin().value());
  CHECK(result.histograms.size() == 3);
  CHECK(result.ensemble_series.samples() == 2000);
}

}  // namespace spinfer
