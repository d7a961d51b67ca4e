#include <doctest/doctest.h>

#include "runtime/run/run_inputs.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

using testing::config_with;
using testing::error_message;

TEST_CASE("run inputs at one beta: precisions at scale 1, one group of every rank") {
  const RunInputs in =
      prepare_run(config_with({R"(instance={"kind":"sk","n":10,"seed":1})", "beta=0.5", "chains=3",
                               R"(clamped=[{"agent":4,"value":1}])"}),
                  4);
  CHECK_FALSE(in.ensemble);
  CHECK(in.scales == std::vector<double>{1.0});
  CHECK(in.layout.groups == 1);
  CHECK(in.layout.ranks_per_group == 4);
  CHECK(in.systems() == 3);
  CHECK(in.graph().weights.front() == doctest::Approx(0.5 * in.glass->couplings.weights.front()));
  REQUIRE(in.exact.has_value());
  CHECK(in.exact->free_agents.size() == 9);
}

TEST_CASE("run inputs of an ensemble: J itself, the ladder as scales, an automatic layout") {
  const RunInputs in =
      prepare_run(config_with({R"(instance={"kind":"sk","n":10,"seed":1})",
                               R"(temperatures={"betas":[0.3,0.6,0.9]})", "replicas=2"}),
                  2);
  CHECK(in.ensemble);
  CHECK(in.scales == std::vector<double>{0.3, 0.6, 0.9});
  CHECK(in.replicas() == 2);
  CHECK(in.layout.groups == 2);  // whole systems per rank when there are enough
  CHECK(&in.graph() == &in.glass->couplings);
  CHECK_FALSE(in.exact.has_value());
}

TEST_CASE("run inputs refuse what the population or the schedule cannot do") {
  const std::string lattice = R"(instance={"kind":"edwards_anderson","length":4})";
  CHECK(error_message([&] {
          prepare_run(config_with({lattice}), 5);
        }).find("ranks = 5: more ranks than lattice planes (4)") == 0);
  CHECK(
      error_message([&] {
        prepare_run(config_with({lattice, "schedule=stale", "staleness=1", "stale_domains=5"}), 1);
      }).find("stale_domains = 5") == 0);
  const std::string message = error_message([&] {
    prepare_run(config_with({lattice, R"(temperatures={"betas":[0.5,1]})", "schedule=synchronous"}),
                1);
  });
  CHECK(message.find("schedule = synchronous") == 0);
  CHECK(message.find("chromatic or random_sequential") != std::string::npos);
  CHECK(error_message([&] {
          prepare_run(config_with({lattice, R"(temperatures={"betas":[0.5,1]})", "replicas=1",
                                   "layout.groups=3"}),
                      4);
        }).find("layout.groups") == 0);
}

}  // namespace spinfer
