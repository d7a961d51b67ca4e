#include <doctest/doctest.h>

#include "runtime/cli/bench_population.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

TEST_CASE("bench population: the 3D +-J chain a run builds, on the lookup path") {
  BenchPopulation chain(testing::self(), 6);
  CHECK(chain.agents() == 216);
  CHECK(chain.population().block().uses_lookup_table());
  CHECK(chain.population().colours() == 2);
  const std::uint64_t before = chain.population().state_hash(testing::self());
  chain.sweep(0);
  CHECK(chain.population().state_hash(testing::self()) != before);
}

}  // namespace spinfer
