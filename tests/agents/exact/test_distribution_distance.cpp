#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "agents/exact/distribution_distance.hpp"

using namespace spinfer;

TEST_CASE("total variation and relative entropy of small distributions") {
  const std::vector<double> p = {0.5, 0.25, 0.25, 0.0};
  const std::vector<double> q = {0.25, 0.25, 0.25, 0.25};
  CHECK(total_variation_distance(p, q) == doctest::Approx(0.25));
  CHECK(total_variation_distance(p, p) == 0.0);
  CHECK(relative_entropy(p, q) == doctest::Approx(0.5 * std::log(2.0) + 0.5 * std::log(1.0)));
  CHECK(relative_entropy(q, q) == 0.0);
  CHECK(relative_entropy(q, p) == std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS((void)total_variation_distance(p, {1.0}), std::invalid_argument);
}
