// Ensemble runs (replicas x temperatures) are a function of (configuration, seed) only: every
// layout of the ranks gives the same trajectory, bit for bit; and parallel tempering samples the
// Boltzmann distribution: every observable agrees with exact enumeration within its error.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "mpi_testing.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/run/instance_factory.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {
namespace {

RunConfig config_with(std::vector<std::string> overrides) {
  ConfigSource source;
  source.overrides = std::move(overrides);
  return resolve_config(source);
}

void check_same(const RunResult& a, const RunResult& b) {
  CHECK(a.summary.final_state_hash() == b.summary.final_state_hash());
  // Integer sums all the way: the series are equal, not merely close.
  CHECK(a.ensemble_series.energy == b.ensemble_series.energy);
  CHECK(a.ensemble_series.magnetization == b.ensemble_series.magnetization);
  CHECK(a.ensemble_series.overlap == b.ensemble_series.overlap);
  CHECK(a.ensemble_series.pattern == b.ensemble_series.pattern);
  CHECK(a.magnetizations == b.magnetizations);
  CHECK(a.best.spins == b.best.spins);
  CHECK(a.best.energy == b.best.energy);
  const auto& ea = a.summary.ensemble();
  const auto& eb = b.summary.ensemble();
  REQUIRE(ea.swaps_size() == eb.swaps_size());
  for (int k = 0; k < ea.swaps_size(); ++k) CHECK(ea.swaps(k).accepted() == eb.swaps(k).accepted());
  CHECK(ea.round_trips() == eb.round_trips());
  CHECK(std::equal(ea.betas().begin(), ea.betas().end(), eb.betas().begin(), eb.betas().end()));
  for (int k = 0; k < ea.observables_size(); ++k) {
    CHECK(ea.observables(k).binder().value() == eb.observables(k).binder().value());
    CHECK(ea.observables(k).overlap_binder().value() == eb.observables(k).overlap_binder().value());
  }
}

// The run on every rank of the world, in every layout the rank count allows, against rank 0
// alone.
void check_every_layout(const RunConfig& config) {
  const auto& world = testing::world();
  const comm::Communicator alone = world.split(world.rank() == 0 ? 0 : 1, world.rank());
  RunResult one;
  if (world.rank() == 0) one = run(config, alone);
  const int systems = config.replicas() * static_cast<int>(initial_ladder(config).size());
  for (int groups = 1; groups <= std::min(world.size(), systems); ++groups) {
    if (world.size() % groups != 0) continue;
    RunConfig c = config;
    c.mutable_layout()->set_groups(groups);
    const RunResult all = run(c, world);
    if (world.rank() == 0) {
      INFO("groups = " << groups);
      check_same(all, one);
    }
  }
}

}  // namespace

// 4 replicas x 5 temperatures: on 2 and 4 ranks some layouts hold whole replicas per group (swaps
// decided group by group), others split replicas over groups (swaps decided by all).
TEST_CASE("tempering: a 3D lattice gives the same trajectory at every layout") {
  check_every_layout(config_with(
      {R"(instance={"kind":"edwards_anderson","dimensions":3,"length":4,"seed":3})",
       R"(temperatures={"kind":"geometric","beta_min":0.25,"beta_max":1.2,"count":5,"retune":{"rounds":2}})",
       "replicas=4", "sweeps=300", "burn_in=40", "tempering.swap_interval=2", "seed=5"}));
}

TEST_CASE("tempering: dense SK cut over a group's ranks, Gaussian couplings, a field") {
  check_every_layout(config_with({R"(instance={"kind":"sk","n":21,"field_spread":0.4,"seed":2})",
                                  R"(temperatures={"betas":[0.4,0.7,1.1]})", "replicas=2",
                                  "sweeps=200", "burn_in=20"}));
}

TEST_CASE("tempering: random-sequential replicas and Hopfield overlaps at every layout") {
  check_every_layout(config_with({R"(instance={"kind":"hopfield","n":40,"patterns":3})",
                                  R"(temperatures={"betas":[1.0,3.0]})", "replicas=2",
                                  "schedule=random_sequential", "sweeps=100", "burn_in=10"}));
}

TEST_CASE("tempering: annealing is the same at every layout") {
  check_every_layout(config_with({R"(instance={"kind":"sk","n":30,"distribution":"bimodal"})",
                                  R"(annealing={"kind":"geometric","beta_start":0.1,"beta_end":3})",
                                  "replicas=4", "sweeps=200", "measure_interval=10"}));
}

TEST_CASE("tempering: one temperature is the ordinary run with as many chains") {
  const auto& world = testing::world();
  const std::string lattice = R"(instance={"kind":"edwards_anderson","length":8,"seed":4})";
  const RunResult plain =
      run(config_with({lattice, "beta=0.6", "chains=3", "sweeps=200", "burn_in=0"}), world);
  const RunResult ensemble = run(config_with({lattice, R"(temperatures={"betas":[0.6]})",
                                              "replicas=3", "sweeps=200", "burn_in=0"}),
                                 world);
  if (!world.is_root()) return;
  CHECK(plain.summary.final_state_hash() == ensemble.summary.final_state_hash());
  for (int a = 0; a < 3; ++a)
    CHECK(plain.series[a].magnetization == ensemble.ensemble_series.magnetization_of(0, a));
}

TEST_CASE("tempering: exact enumeration agrees with parallel tempering on every observable") {
  // 12 observables at 6 temperatures, each z-scored against enumeration; the verdict is
  // Bonferroni-corrected at the 1% false-alarm rate. Checked for power below: the same samples
  // against the enumeration at betas 8% off are rejected.
  const auto& world = testing::world();
  for (const std::string& instance :
       {std::string(R"(instance={"kind":"sk","n":10,"seed":3})"),
        std::string(R"(instance={"kind":"edwards_anderson","length":4,"seed":6})")}) {
    const RunConfig config = config_with(
        {instance, R"(temperatures={"kind":"geometric","beta_min":0.2,"beta_max":1.5,"count":6})",
         "replicas=2", "sweeps=12000", "burn_in=1000"});
    const RunResult r = run(config, world);
    if (!world.is_root()) continue;
    INFO(instance);
    const auto& s = r.summary.stationarity();
    CHECK(s.method() == "exact_observables");
    CHECK(s.verdict() == "consistent");
    REQUIRE(r.exact.size() == 6);
    const auto& e = r.summary.ensemble();
    std::vector<record::TemperatureObservables> measured(e.observables().begin(),
                                                         e.observables().end());
    std::vector<ExactReference> wrong;
    for (int k = 0; k < 6; ++k) wrong.push_back(exact_reference(*r.glass, 1.08 * e.betas(k)));
    CHECK(compare_with_exact_observables(measured, wrong, {0.01, 100}).verdict() == "rejected");
    // Swaps happen at every pair, and replicas go round the ladder.
    for (const auto& w : e.swaps()) CHECK(w.acceptance() > 0.2);
    CHECK(e.round_trips() > 10);
  }
}

TEST_CASE("tempering: annealing finds the ground state of a small SK instance") {
  const auto& world = testing::world();
  const RunConfig config =
      config_with({R"(instance={"kind":"sk","n":14,"seed":8})",
                   R"(annealing={"kind":"linear","beta_start":0.05,"beta_end":4})", "replicas=4",
                   "sweeps=3000", "measure_interval=5"});
  const RunResult r = run(config, world);
  if (!world.is_root()) return;
  // Enumeration: the lowest energy over all 2^14 states.
  const SpinGlass glass = build_instance(config.instance());
  const ReducedModel model = reduce_clamped(glass.couplings, {});
  const std::vector<double> p = boltzmann_distribution(reduce_clamped(
      agents_from_spin_glass(glass, 30.0).precisions, {}));  // beta 30: all weight on the minimum
  const auto ground = static_cast<std::uint64_t>(std::max_element(p.begin(), p.end()) - p.begin());
  double e_min = 0;
  for (int i = 0; i < 14; ++i)
    for (int j = i + 1; j < 14; ++j)
      e_min -= model.gamma(i, j) * (((ground >> i) & 1) ? 1 : -1) * (((ground >> j) & 1) ? 1 : -1);
  REQUIRE(r.best.found);
  CHECK(r.best.energy == doctest::Approx(e_min).epsilon(1e-7));
  // The state written out has the reported energy.
  double e = 0;
  for (int i = 0; i < 14; ++i)
    for (int j = i + 1; j < 14; ++j) e -= model.gamma(i, j) * r.best.spins[i] * r.best.spins[j];
  CHECK(e == doctest::Approx(r.best.energy).epsilon(1e-7));
}

}  // namespace spinfer
