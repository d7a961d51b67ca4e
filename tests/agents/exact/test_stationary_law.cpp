#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "agents/exact/stationary_law.hpp"

using namespace spinfer;

TEST_CASE("stationary_law of a three-state chain matches the closed form") {
  // Birth-death chain: pi_x K(x, x+1) = pi_{x+1} K(x+1, x) gives pi proportional to (1, 2, 6).
  Eigen::MatrixXd k(3, 3);
  k << 0.6, 0.4, 0.0,  //
      0.2, 0.2, 0.6,   //
      0.0, 0.2, 0.8;
  const StationaryLaw law = stationary_law(k);
  REQUIRE(law.p.size() == 3);
  CHECK(law.p[0] == doctest::Approx(1.0 / 9).epsilon(1e-14));
  CHECK(law.p[1] == doctest::Approx(2.0 / 9).epsilon(1e-14));
  CHECK(law.p[2] == doctest::Approx(6.0 / 9).epsilon(1e-14));
  CHECK(law.residual < 1e-15);
  CHECK(law.support == 3);
}

TEST_CASE("transient states get exactly zero; a periodic chain still has its law") {
  // State 0 leaks into the closed class {1, 2} and never comes back.
  Eigen::MatrixXd leaky(3, 3);
  leaky << 0.5, 0.25, 0.25,  //
      0.0, 0.3, 0.7,         //
      0.0, 0.7, 0.3;
  const StationaryLaw law = stationary_law(leaky);
  CHECK(law.p[0] == 0.0);
  CHECK(law.p[1] == doctest::Approx(0.5));
  CHECK(law.support == 2);

  Eigen::MatrixXd flip(2, 2);
  flip << 0, 1, 1, 0;
  const StationaryLaw periodic = stationary_law(flip);
  CHECK(periodic.p[0] == doctest::Approx(0.5));
  CHECK(periodic.residual < 1e-15);
}

TEST_CASE("several closed classes or a non-stochastic matrix are refused") {
  Eigen::MatrixXd two_traps(3, 3);
  two_traps << 1, 0, 0,  //
      0.5, 0, 0.5,       //
      0, 0, 1;
  CHECK(closed_class_count(two_traps) == 2);
  CHECK_THROWS_AS((void)stationary_law(two_traps), Error);

  Eigen::MatrixXd not_stochastic(2, 2);
  not_stochastic << 0.5, 0.4, 0.5, 0.5;
  CHECK_THROWS_AS((void)stationary_law(not_stochastic), std::invalid_argument);
  Eigen::MatrixXd negative(2, 2);
  negative << 1.5, -0.5, 0.5, 0.5;
  CHECK_THROWS_AS((void)stationary_law(negative), std::invalid_argument);
}

TEST_CASE("a large random kernel: the solve leaves a residual near machine precision") {
  // 1024 states: stay, step along a ring (irreducible for sure) or jump to four random states.
  const int n = 1024;
  Eigen::MatrixXd k = Eigen::MatrixXd::Zero(n, n);
  for (int x = 0; x < n; ++x) {
    k(x, x) = 1;
    k(x, (x + 1) % n) = 1;
    const RandomBlock r =
        random_block(5, StreamPurpose::action, 0, 0, static_cast<std::uint64_t>(x));
    for (std::uint32_t word : r) k(x, static_cast<int>(word % n)) += 1 + (word >> 29);
    k.row(x) /= k.row(x).sum();
  }
  const StationaryLaw law = stationary_law(k);
  MESSAGE("1024 states: residual " << law.residual);
  CHECK(law.residual < 1e-12);
  CHECK(law.support == n);
}
