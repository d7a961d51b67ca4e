// A run is a function of (config, seed) only: the same trajectory, and so the same
// final_state_hash and magnetization series, on one rank and on all ranks of this launch.
#include <doctest/doctest.h>

#include "mpi_testing.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {
namespace {

RunConfig config_with(std::vector<std::string> overrides) {
  ConfigSource source;
  overrides.push_back("sweeps=300");
  overrides.push_back("burn_in=0");
  source.overrides = overrides;
  return resolve_config(source);
}

void check_same_on_one_rank(const RunConfig& config) {
  const auto& world = testing::world();
  const RunResult all = run(config, world);
  const comm::Communicator alone = world.split(world.rank() == 0 ? 0 : 1, world.rank());
  if (world.rank() != 0) return;
  const RunResult one = run(config, alone);
  CHECK(all.summary.final_state_hash() == one.summary.final_state_hash());
  REQUIRE(all.series.size() == one.series.size());
  for (std::size_t c = 0; c < all.series.size(); ++c) {
    CHECK(all.series[c].magnetization == one.series[c].magnetization);  // integer sums: exact
    for (std::size_t t = 0; t < all.series[c].energy.size(); t += 37)
      CHECK(all.series[c].energy[t] == doctest::Approx(one.series[c].energy[t]).epsilon(1e-12));
  }
}

}  // namespace

TEST_CASE("rank_invariance: chromatic 2D EA lattice") {
  check_same_on_one_rank(config_with(
      {R"(instance={"kind":"edwards_anderson","length":12})", "beta=0.6", "schedule=chromatic"}));
}

TEST_CASE("rank_invariance: synchronous 2D EA lattice") {
  check_same_on_one_rank(config_with(
      {R"(instance={"kind":"edwards_anderson","length":12})", "beta=0.6", "schedule=synchronous"}));
}

TEST_CASE("rank_invariance: chromatic SK with clamped agents (dense: every agent a ghost)") {
  check_same_on_one_rank(config_with({R"(instance={"kind":"sk","n":30,"field_spread":0.3})",
                                      R"(clamped=[{"agent":3,"value":1},{"agent":17,"value":-1}])",
                                      "schedule=chromatic"}));
}

TEST_CASE("rank_invariance: synchronous random regular graph, Gaussian couplings") {
  check_same_on_one_rank(config_with(
      {R"(instance={"kind":"random_regular","n":64,"degree":3,"distribution":"gaussian"})",
       "schedule=synchronous", "chains=3"}));
}

TEST_CASE("rank_invariance: different seeds give different trajectories") {
  const auto& world = testing::world();
  auto config = config_with({"schedule=chromatic"});
  const auto a = run(config, world);
  config.set_seed(config.seed() + 1);
  const auto b = run(config, world);
  if (world.is_root()) CHECK(a.summary.final_state_hash() != b.summary.final_state_hash());
}

}  // namespace spinfer
