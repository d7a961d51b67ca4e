// Population on one rank (a singleton MPI world): what it holds, how it starts, how its state
// travels and is hashed.
#include <doctest/doctest.h>

#include "agents/core/random_streams.hpp"
#include "runtime/population/population.hpp"
#include "runtime/run/run.hpp"
#include "tests/runtime/population/built_population.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::config_with;

using Built = testing::BuiltPopulation;

const char* kSk8 = R"(instance={"kind":"sk","n":8,"seed":3})";
const char* kLadder = R"(temperatures={"betas":[0.4,0.9]})";

}  // namespace

TEST_CASE("population: every system on one rank, seeded starts, clamped agents at their clamp") {
  Built b(config_with({kSk8, "chains=3", "seed=7", R"(clamped=[{"agent":2,"value":-1}])"}));
  const Population<IsingBlock>& p = b.population;
  REQUIRE(p.local_systems() == 3);
  CHECK(p.layout().groups == 1);
  CHECK(p.free_rows().size() == 7);
  for (int c = 0; c < 3; ++c)
    for (AgentId g = 0; g < 8; ++g) {
      const auto word = random_block(7, StreamPurpose::initial_state, c, 0, g / 4)[g % 4];
      CHECK(p.values(c)[g] == (g == 2 ? -1 : IsingBlock::random_state(word)));
    }
}

TEST_CASE("population: the same seed sweeps the same trajectory; another seed does not") {
  Built a(config_with({kSk8, "chains=2", "seed=5"}));
  Built b(config_with({kSk8, "chains=2", "seed=5"}));
  Built c(config_with({kSk8, "chains=2", "seed=6"}));
  const std::vector<int> at_zero(2, 0);
  for (std::uint64_t sweep = 0; sweep < 25; ++sweep)
    for (Built* x : {&a, &b, &c}) x->population.sweep(sweep, at_zero);
  const comm::Communicator& self = testing::self();
  CHECK(a.population.state_hash(self) == b.population.state_hash(self));
  CHECK(a.population.state_hash(self) != c.population.state_hash(self));
}

TEST_CASE("population: owned bytes restore every slot, a short record is refused") {
  Built a(config_with({kSk8, "chains=2"}));
  Built b(config_with({kSk8, "chains=2", "seed=99"}));
  const comm::Communicator& self = testing::self();
  REQUIRE(a.population.state_hash(self) != b.population.state_hash(self));
  for (int c = 0; c < 2; ++c) {
    const std::vector<std::int8_t> bytes = a.population.owned_bytes(c);
    b.population.restore_system(c, {reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                                "chain");
  }
  CHECK(a.population.state_hash(self) == b.population.state_hash(self));
  CHECK(testing::error_message([&] {
          b.population.restore_system(0, "\1\0\1", "chain 0");
        }).find("chain 0") != std::string::npos);
}

TEST_CASE("population: bond sums of a bipartite chromatic sweep give measure()'s energy") {
  Built b(config_with(
      {R"(instance={"kind":"edwards_anderson","length":6,"seed":2})", kLadder, "replicas=2"}));
  Population<IsingBlock>& p = b.population;
  REQUIRE(p.block().uses_lookup_table());
  const std::vector<int> temperature_of = {0, 1, 0, 1};
  std::vector<std::uint64_t> summed(4, 0);
  for (std::uint64_t sweep = 0; sweep < 5; ++sweep) {
    p.sweep(sweep, temperature_of);
    for (int c = 0; c < p.local_systems(); ++c) {
      const IsingBlock::Sums fast = p.local_sums(c);
      const IsingBlock::Sums slow = p.block().measure(p.values(c));
      CHECK(fast.spin == slow.spin);
      CHECK(fast.energy_fixed == slow.energy_fixed);
      summed[c] = slow.energy_fixed;
    }
  }
  CHECK(p.energies(testing::self()) == summed);
}

TEST_CASE("population: partitions follow the schedule's placement") {
  const Built b(config_with({kSk8, "schedule=random_sequential"}));
  const Partition one =
      partition_for_schedule(b.inputs.graph(), std::nullopt, RunConfig::random_sequential, 3);
  CHECK(one.count(0) == 8);
  CHECK(one.count(1) == 0);
  const Partition spread =
      partition_for_schedule(b.inputs.graph(), std::nullopt, RunConfig::chromatic, 3);
  CHECK(spread.count(0) + spread.count(1) + spread.count(2) == 8);
  CHECK(spread.count(2) > 0);
}

}  // namespace spinfer
