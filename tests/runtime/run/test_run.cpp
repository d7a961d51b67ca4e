// The driver on one rank: a run of each kind from configuration to summary.
#include <doctest/doctest.h>

#include "runtime/run/run.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

using testing::config_with;

TEST_CASE("run at one beta: chains, the summary's facts and an exact verdict") {
  const RunConfig config =
      config_with({R"(instance={"kind":"sk","n":8,"seed":2})", "sweeps=20000", "chains=2"});
  const RunResult r = run(config, testing::self());
  const record::Summary& s = r.summary;
  CHECK_FALSE(s.has_ensemble());
  CHECK(s.n_agents() == 8);
  CHECK(s.chains() == 2);
  CHECK(s.measured_samples() == 20000);
  CHECK(s.final_state_hash().size() == 16);
  CHECK(s.stationarity().method() == "exact_enumeration");
  CHECK(s.stationarity().reference() == "boltzmann");
  // Fixed seed: a correct sampler at the 1% false-alarm rate is consistent here, and Little's
  // law (the synchronous schedule's) is far enough to be rejected.
  CHECK(s.stationarity().verdict() == "consistent");
  REQUIRE(s.alternatives_size() >= 1);
  CHECK(s.alternatives(0).reference() == "little");
  CHECK(r.series.size() == 2);
  CHECK(r.per_agent.magnetization.size() == 8);
  CHECK(r.references.size() == 2);
}

TEST_CASE("run of an ensemble: per-temperature observables against enumeration") {
  const RunConfig config =
      config_with({R"(instance={"kind":"edwards_anderson","length":3,"seed":6})",
                   R"(temperatures={"kind":"geometric","beta_min":0.2,"beta_max":1.0,"count":3})",
                   "replicas=2", "sweeps=6000", "burn_in=500"});
  const RunResult r = run(config, testing::self());
  REQUIRE(r.summary.has_ensemble());
  CHECK(r.summary.ensemble().observables_size() == 3);
  CHECK(r.exact.size() == 3);
  CHECK(r.summary.stationarity().method() == "exact_observables");
  CHECK(r.summary.stationarity().verdict() == "consistent");
  CHECK(r.magnetizations.size() == 3 * 9);
  CHECK(r.best.found);
  CHECK(r.best.spins.size() == 9);
}

TEST_CASE("run: one temperature and R replicas are R chains at that beta, bit for bit") {
  const std::string lattice = R"(instance={"kind":"edwards_anderson","length":6,"seed":3})";
  const RunResult chains = run(
      config_with({lattice, "beta=0.6", "chains=3", "sweeps=200", "burn_in=0"}), testing::self());
  const RunResult replicas = run(config_with({lattice, R"(temperatures={"betas":[0.6]})",
                                              "replicas=3", "sweeps=200", "burn_in=0"}),
                                 testing::self());
  CHECK(chains.summary.final_state_hash() == replicas.summary.final_state_hash());
}

}  // namespace spinfer
