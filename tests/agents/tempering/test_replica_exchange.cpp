#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "agents/tempering/replica_exchange.hpp"
#include "agents/tempering/temperature_ladder.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

// Every replica's systems hold each temperature exactly once, and only its own systems.
bool consistent(const ReplicaExchange& x) {
  for (int a = 0; a < x.replicas(); ++a) {
    std::vector<int> seen(static_cast<std::size_t>(x.temperatures()), 0);
    for (int k = 0; k < x.temperatures(); ++k) {
      const int s = x.system_at(a, k);
      if (s / x.temperatures() != a || x.temperature_of(s) != k) return false;
      ++seen[k];
    }
    if (std::count(seen.begin(), seen.end(), 1) != x.temperatures()) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("replica exchange: swaps permute temperatures within each replica") {
  ReplicaExchange x(3, 5);
  const std::vector<double> betas = geometric_ladder(0.2, 1.5, 5);
  std::vector<double> energies(15);
  for (std::uint64_t round = 1; round <= 200; ++round) {
    for (int s = 0; s < 15; ++s) energies[s] = -10.0 * std::sin(0.7 * s + 0.3 * round);
    x.attempt_swaps(7, round, energies, betas);
    REQUIRE(consistent(x));
  }
  CHECK(x.rounds() == 200);
  // Even and odd pairs alternate: each pair is tried once every second round by each replica.
  for (int k = 0; k < 4; ++k) CHECK(x.attempts()[k] == 3 * 100);
}

TEST_CASE("replica exchange: acceptance is min(1, exp(dbeta dE)) within binomial errors") {
  // Two temperatures; whichever system is hot has energy +1, the cold one -3: every attempt is
  // the same uphill decision with a fresh uniform.
  const std::vector<double> betas{0.5, 0.8};
  const double p = swap_acceptance(0.5, 0.8, 1.0, -3.0);
  REQUIRE(p == doctest::Approx(std::exp(-0.3 * 4.0)));
  ReplicaExchange x(1, 2);
  for (std::uint64_t round = 0; round < 40000; ++round) {
    const std::vector<double> energies{x.temperature_of(0) == 0 ? 1.0 : -3.0,
                                       x.temperature_of(1) == 0 ? 1.0 : -3.0};
    x.attempt_swaps(3, round, energies, betas);  // odd rounds have no pair for 2 temperatures
  }
  REQUIRE(x.attempts()[0] == 20000);
  const double rate = x.acceptance_rates()[0];
  const double se = std::sqrt(p * (1 - p) / 20000);
  CHECK(std::fabs(rate - p) < 4 * se);  // 4 standard errors: false alarm 6e-5
}

TEST_CASE("replica exchange: with every swap accepted, replicas travel the ladder ballistically") {
  // Equal energies accept every swap; the even-odd scheme then moves each system one step per
  // round, turning at the ends: once under way, a round trip takes exactly 2 T rounds (the first
  // ones, timed from the start, may not).
  const int t = 6;
  ReplicaExchange x(2, t);
  const std::vector<double> betas = geometric_ladder(0.1, 1.0, t);
  const std::vector<double> energies(12, -5.0);
  for (std::uint64_t round = 1; round <= 100; ++round) x.attempt_swaps(1, round, energies, betas);
  x.reset_statistics();
  for (std::uint64_t round = 101; round <= 400; ++round) x.attempt_swaps(1, round, energies, betas);
  CHECK(x.round_trips() >= 12 * 300 / (2 * t) - 12);
  CHECK(static_cast<double>(x.round_trip_sweeps()) / static_cast<double>(x.round_trips()) ==
        doctest::Approx(2.0 * t));
  for (double r : x.acceptance_rates()) CHECK(r == 1.0);
  x.reset_statistics();
  CHECK(x.round_trips() == 0);
  CHECK(x.attempts()[0] == 0);
}

TEST_CASE("replica exchange: state and restore give the same future") {
  ReplicaExchange a(2, 4), b(2, 4);
  const std::vector<double> betas{0.3, 0.5, 0.7, 0.9};
  std::vector<double> energies(8);
  for (std::uint64_t round = 1; round <= 300; ++round) {
    for (int s = 0; s < 8; ++s) energies[s] = -4.0 * std::cos(1.3 * s + 0.1 * round);
    a.attempt_swaps(5, round, energies, betas);
    if (round == 150) b.restore(a.state());
    if (round > 150) b.attempt_swaps(5, round, energies, betas);
  }
  CHECK(a.temperature_of() == b.temperature_of());
  CHECK(a.accepted() == b.accepted());
  CHECK(a.round_trips() == b.round_trips());
  CHECK(a.round_trip_sweeps() == b.round_trip_sweeps());

  ReplicaExchange::State bad = a.state();
  bad.temperature_of[0] = bad.temperature_of[1];  // two systems at one temperature
  CHECK(testing::error_message([&] { b.restore(bad); }).find("permutation") != std::string::npos);
  bad = a.state();
  bad.attempts.pop_back();
  CHECK(testing::error_message([&] { b.restore(bad); }).find("sizes") != std::string::npos);
}

}  // namespace spinfer
