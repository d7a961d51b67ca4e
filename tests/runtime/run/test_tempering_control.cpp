#include <doctest/doctest.h>

#include <algorithm>

#include "agents/tempering/annealing_schedule.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/run/run.hpp"
#include "runtime/run/tempering_control.hpp"
#include "tests/runtime/population/built_population.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using Built = testing::BuiltPopulation;

// Every replica holds every temperature exactly once.
bool is_permutation_per_replica(const std::vector<int>& temperature_of, int t) {
  for (std::size_t a = 0; a < temperature_of.size() / t; ++a) {
    std::vector<int> held(temperature_of.begin() + a * t, temperature_of.begin() + (a + 1) * t);
    std::sort(held.begin(), held.end());
    for (int k = 0; k < t; ++k)
      if (held[k] != k) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("tempering control: swaps move systems between temperatures and count") {
  Built b(testing::config_with({R"(instance={"kind":"edwards_anderson","length":4,"seed":3})",
                                R"(temperatures={"betas":[0.9,0.95,1.0]})", "replicas=2",
                                "burn_in=0"}));
  TemperingControl control(b.config, 2, b.inputs.scales);
  const comm::Communicator& self = testing::self();
  bool moved = false;
  for (std::int64_t sweep = 0; sweep < 40; ++sweep) {
    control.before_sweep(sweep, b.population);
    b.population.sweep(static_cast<std::uint64_t>(sweep), control.temperature_of());
    control.after_sweep(sweep + 1, self, b.population);
    CHECK(is_permutation_per_replica(control.temperature_of(), 3));
    moved = moved || control.temperature_of() != std::vector<int>{0, 1, 2, 0, 1, 2};
  }
  CHECK(moved);  // close betas: swaps are accepted often
  const auto attempts = control.exchange().attempts();
  CHECK(attempts[0] + attempts[1] == 2 * 40);  // every round tries one pair per replica

  record::EnsembleState state;
  control.fill(state);
  TemperingControl restored(b.config, 2, b.inputs.scales);
  restored.restore(state, b.population);
  CHECK(restored.temperature_of() == control.temperature_of());
  CHECK(restored.exchange().accepted() == control.exchange().accepted());
}

TEST_CASE("tempering control: annealing sets the block's scale before each sweep") {
  Built b(testing::config_with({R"(instance={"kind":"sk","n":16,"seed":1})",
                                R"(annealing={"kind":"linear","beta_start":0.1,"beta_end":2})",
                                "replicas=2", "sweeps=100"}));
  TemperingControl control(b.config, 2, b.inputs.scales);
  for (const std::int64_t sweep : {0, 37, 99}) {
    control.before_sweep(sweep, b.population);
    CHECK(b.population.block().scale(0) == annealing_beta(b.config, sweep));
    CHECK(control.scales().front() == annealing_beta(b.config, sweep));
  }
}

}  // namespace spinfer
