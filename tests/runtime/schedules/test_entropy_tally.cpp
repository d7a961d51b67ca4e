#include <doctest/doctest.h>

#include <limits>

#include "runtime/schedules/entropy_tally.hpp"

using namespace spinfer;

TEST_CASE("entropy tally: fixed-point sums per chain, infinite terms apart") {
  EntropyTally tally;
  CHECK_FALSE(tally.active());
  tally.reset(2);
  CHECK(tally.active());
  tally.add(0, 0.75);
  tally.add(0, -0.25);
  tally.add(1, std::numeric_limits<double>::infinity());
  IsingBlock::EntropySum block;
  block.fixed = fixed_point::from_double(1.5);
  block.infinite = 2;
  tally.add(1, block);
  CHECK(fixed_point::to_double(tally.fixed_sum(0)) == 0.5);
  CHECK(tally.infinite_terms(0) == 0);
  CHECK(fixed_point::to_double(tally.fixed_sum(1)) == 1.5);
  CHECK(tally.infinite_terms(1) == 3);
  // Addition order does not matter: the sums are integers.
  EntropyTally reversed;
  reversed.reset(1);
  reversed.add(0, -0.25);
  reversed.add(0, 0.75);
  CHECK(reversed.fixed_sum(0) == tally.fixed_sum(0));
  tally.reset(2);
  CHECK(tally.fixed_sum(0) == 0);
  CHECK(tally.infinite_terms(1) == 0);
}
