#include <doctest/doctest.h>

#include "runtime/run/run_summary.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

TEST_CASE("run summary: the facts, the rate of this segment and the provenance") {
  const RunConfig config = testing::config_with({"sweeps=900", "burn_in=100", "seed=4"});
  RunFacts facts;
  facts.n_agents = 12;
  facts.acting_agents = 10;
  facts.systems = 2;
  facts.measured_samples = 900;
  facts.final_state_hash = 0xabc;
  facts.total_wall = 3;
  facts.segment_wall = 2;
  facts.first_sweep = 600;  // resumed: this segment did 400 sweeps
  facts.segments = 2;
  facts.layout = "layout";
  facts.hosts = {"a", "b"};
  record::Summary s;
  fill_run_summary(s, config, facts, 3);
  CHECK(s.seed() == 4);
  CHECK(s.ranks() == 3);
  CHECK(s.final_state_hash() == "0000000000000abc");
  CHECK(s.updates_per_second() == doctest::Approx(10.0 * 2 * 400 / 2));
  CHECK(s.wall_seconds() == 3);
  CHECK(s.provenance().segments() == 2);
  CHECK(s.provenance().hosts_size() == 2);
  CHECK(s.provenance().layout() == "layout");
  CHECK(s.config().sweeps() == 900);
}

TEST_CASE("run summary: distinct hosts of one rank") {
  CHECK(distinct_hosts(testing::self()).size() == 1);
  CHECK(hex(0) == "0000000000000000");
  CHECK(hex(~0ull) == "ffffffffffffffff");
}

}  // namespace spinfer
