#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "agents/instances/instances.hpp"
#include "runtime/fragility/reference_bias.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;

namespace {

using testing::config_with;

// A result on a 4-agent ring whose chains hold constant series (no noise): bias and errors are
// then known exactly.
RunResult constant_result(double m, double e, double c, double edge) {
  RunResult r;
  auto glass = std::make_shared<SpinGlass>(ferromagnet(2, 3, 1.0));
  r.glass = glass;
  r.series.resize(2);
  for (auto& chain : r.series) {
    chain.magnetization.assign(100, m);
    chain.energy.assign(100, e);
    chain.edge_correlation.assign(100, c);
  }
  r.per_agent.correlation.assign(glass->couplings.columns.size(), edge);
  return r;
}

}  // namespace

TEST_CASE("reference bias: the exact schedule resets every knob") {
  const RunConfig stale = config_with({R"(instance={"kind":"sk","n":20,"asymmetry":0.4})",
                                       "schedule=stale", "staleness=3", "stale_domains=2",
                                       "policy_precision=1.7", "bias_reference=true"});
  const RunConfig ref = exact_schedule_config(stale);
  CHECK(ref.schedule() == RunConfig::chromatic);
  CHECK(ref.instance().asymmetry() == 0);
  CHECK(ref.policy_precision() == 1);
  CHECK(ref.staleness() == 0);
  CHECK(ref.stale_domains() == 0);
  CHECK_FALSE(ref.bias_reference());
  CHECK(ref.seed() == stale.seed());
  CHECK(ref.instance().seed() == stale.instance().seed());
  validate_config(ref);
  CHECK(exact_schedule_config(config_with({"schedule=random_sequential"})).schedule() ==
        RunConfig::random_sequential);
  // The reference population is symmetric even when the instance's asymmetry is in a file.
  const RunInputs inputs = prepare_reference_run(ref, 1);
  CHECK(weight_asymmetry(inputs.agents.precisions) == 0);
}

TEST_CASE("reference bias: differences, errors and the verdict") {
  VerificationSettings settings;
  const RunConfig ref_config = exact_schedule_config(config_with({}));
  const RunResult same = constant_result(0.1, -1.0, 0.3, 0.5);
  const auto none = compare_with_reference(same, same, ref_config, settings);
  CHECK(none.verdict() == "consistent");
  CHECK(none.edge_rms_bias() == 0);
  REQUIRE(none.observables_size() == 4);
  CHECK(none.observables(0).observable() == "magnetization");
  CHECK(none.observables(1).observable() == "abs_magnetization");
  CHECK(none.observables(2).observable() == "energy_per_agent");
  CHECK(none.observables(3).observable() == "edge_correlation");

  const RunResult shifted = constant_result(0.1, -0.8, 0.25, 0.4);
  const auto bias = compare_with_reference(shifted, same, ref_config, settings);
  CHECK(bias.observables(2).bias() == doctest::Approx(0.2));
  CHECK(bias.observables(3).bias() == doctest::Approx(-0.05));
  CHECK(bias.edge_rms_bias() == doctest::Approx(0.1));
  CHECK(bias.verdict() == "biased");  // constant series: zero error, any difference shows
  CHECK(bias.edge_rms_noise() >= 0);
  CHECK(bias.reference_schedule().find("chromatic") != std::string::npos);
}
