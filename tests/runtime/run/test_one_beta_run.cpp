#include <doctest/doctest.h>

#include "tests/runtime/run/test_run_kinds.hpp"

namespace spinfer {

TEST_CASE("one-beta run: its plan, its running status and its completed summary") {
  testing::PreparedRun p(testing::config_with(
      {R"(instance={"kind":"sk","n":6,"seed":5})", "chains=2", "beta=0.9", "sweeps=3000"}));
  const MeasurementPlan plan = p.kind->plan();
  CHECK(plan.chain_series);
  CHECK(plan.replicas == 2);
  CHECK(plan.exact != nullptr);
  CHECK(plan.beta == 0.9);
  p.segment->run();
  record::Status status;
  p.kind->describe(*p.segment, status, "running");
  CHECK(status.measured_samples() == 3000);
  CHECK(status.stationarity().method() == "exact_enumeration");
  CHECK(status.energy_per_agent_error() > 0);
  RunResult result;
  p.kind->complete(*p.segment, testing::self(), {}, result);
  CHECK(result.summary.n_agents() == 6);
  CHECK(result.summary.beta() == 0.9);
  CHECK(result.summary.energy_per_agent() == doctest::Approx(status.energy_per_agent()));
  CHECK(result.summary.stationarity().verdict() == status.stationarity().verdict());
  CHECK(result.summary.kernel().schedule() == "chromatic");
  CHECK(result.summary.has_entropy_production());
  CHECK(result.series.size() == 2);
  CHECK(result.free_agents.size() == 6);
}

}  // namespace spinfer
