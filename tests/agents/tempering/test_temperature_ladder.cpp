#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "agents/tempering/temperature_ladder.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::error_message;

// Swap acceptance of a model whose energy distributions are Gaussian with width sigma(beta): for
// a small gap it is erfc(delta_beta sigma / 2), sigma taken at the gap's midpoint.
template <class Width>
std::vector<double> model_acceptance(const std::vector<double>& betas, Width sigma) {
  std::vector<double> a;
  for (std::size_t k = 0; k + 1 < betas.size(); ++k) {
    const double gap = betas[k + 1] - betas[k];
    a.push_back(std::erfc(gap * sigma(0.5 * (betas[k] + betas[k + 1])) / 2));
  }
  return a;
}

bool strictly_ascending(const std::vector<double>& x) {
  return std::adjacent_find(x.begin(), x.end(), std::greater_equal<>()) == x.end();
}

}  // namespace

TEST_CASE("geometric ladder: endpoints, constant ratio, ascending") {
  const auto betas = geometric_ladder(0.2, 3.2, 5);
  REQUIRE(betas.size() == 5);
  CHECK(betas.front() == 0.2);
  CHECK(betas.back() == 3.2);
  for (std::size_t k = 1; k < betas.size(); ++k) {
    CHECK(betas[k] / betas[k - 1] == doctest::Approx(2.0).epsilon(1e-14));
  }
  CHECK(geometric_ladder(1, 2, 2) == std::vector<double>{1, 2});
}

TEST_CASE("geometric ladder rejects bad input") {
  CHECK(error_message([] { geometric_ladder(0.5, 2, 1); }) == "ladder.count = 1: must be >= 2");
  CHECK(error_message([] { geometric_ladder(0, 2, 4); }) ==
        "ladder.beta_min = 0: must be finite and > 0");
  CHECK(error_message([] { geometric_ladder(1, INFINITY, 4); }) ==
        "ladder.beta_max = inf: must be finite and > 0");
  CHECK(error_message([] {
          geometric_ladder(2, 1, 4);
        }).starts_with("ladder.beta_max = 1: must exceed"));
  CHECK(error_message([] {
          validate_ladder(std::vector<double>{1, 2, 2});
        }).starts_with("ladder.beta = 2: betas must be strictly ascending"));
  CHECK(error_message([] {
          validate_ladder(std::vector<double>{1, NAN});
        }) == "ladder.beta = nan: must be finite and > 0");
}

TEST_CASE("swap acceptance is the Metropolis rule for exchanging temperatures") {
  // The colder replica (larger beta) holding the higher energy: swapping always helps.
  CHECK(swap_acceptance(0.5, 1.0, -10, -5) == 1.0);
  CHECK(swap_acceptance(0.5, 1.0, -5, -10) == doctest::Approx(std::exp(-2.5)).epsilon(1e-15));
  // Symmetric in the labelling of the two replicas.
  CHECK(swap_acceptance(1.0, 0.5, -10, -5) == swap_acceptance(0.5, 1.0, -5, -10));
  CHECK(swap_acceptance(0.7, 0.7, 3, -3) == 1.0);
}

TEST_CASE("retune: equal acceptances are a fixed point") {
  const std::vector<double> betas = {0.1, 0.15, 0.4, 0.9, 2.0};
  const std::vector<double> rates(4, 0.37);
  const auto tuned = retune_ladder(betas, rates);
  for (std::size_t k = 0; k < betas.size(); ++k)
    CHECK(tuned[k] == doctest::Approx(betas[k]).epsilon(1e-14));
}

TEST_CASE("retune: one step equalises a constant-width model exactly") {
  // With sigma constant, d_k = gap_k sigma / 2 exactly, so the equal-length ladder is the evenly
  // spaced one whatever the start.
  const std::vector<double> betas = {0.1, 0.12, 0.2, 0.7, 1.0, 1.1};
  const auto tuned = retune_ladder(betas, model_acceptance(betas, [](double) { return 4.0; }));
  for (std::size_t k = 0; k < betas.size(); ++k) {
    CHECK(tuned[k] == doctest::Approx(0.1 + 0.2 * static_cast<double>(k)).epsilon(1e-12));
  }
}

TEST_CASE("retune: iteration equalises a model with a specific-heat peak") {
  // sigma(beta) = sqrt(N C(beta)) / beta with a peak of C at beta = 0.44, like a critical point.
  auto sigma = [](double beta) {
    const double c = 0.5 + 3.0 * std::exp(-(beta - 0.44) * (beta - 0.44) / (2 * 0.03 * 0.03));
    return std::sqrt(400 * c) / beta;
  };
  auto betas = geometric_ladder(0.2, 1.0, 12);
  auto rates = model_acceptance(betas, sigma);
  const double initial_spread =
      *std::max_element(rates.begin(), rates.end()) - *std::min_element(rates.begin(), rates.end());
  for (int round = 0; round < 30; ++round) {
    betas = retune_ladder(betas, rates, 0.7);
    REQUIRE(strictly_ascending(betas));
    rates = model_acceptance(betas, sigma);
  }
  CHECK(betas.front() == 0.2);
  CHECK(betas.back() == 1.0);
  const double spread =
      *std::max_element(rates.begin(), rates.end()) - *std::min_element(rates.begin(), rates.end());
  INFO("spread " << initial_spread << " -> " << spread);
  CHECK(initial_spread > 0.1);  // the geometric ladder is far from uniform here
  CHECK(spread < 0.01);
}

TEST_CASE("retune: damping, clipping of 0 and 1, and bad input") {
  const std::vector<double> betas = {0.1, 0.2, 0.3, 1.0};
  const std::vector<double> rates = {0.9, 0.9, 0.1};
  const auto full = retune_ladder(betas, rates, 1.0);
  const auto half = retune_ladder(betas, rates, 0.5);
  for (std::size_t k = 0; k < betas.size(); ++k) {
    CHECK(half[k] == doctest::Approx(0.5 * (betas[k] + full[k])).epsilon(1e-14));
  }
  // Interior betas move toward the hard (low-acceptance) gap.
  CHECK(full[2] > betas[2]);

  const auto extreme = retune_ladder(betas, std::vector<double>{1.0, 0.0, 1.0});
  CHECK(strictly_ascending(extreme));
  CHECK(extreme.front() == 0.1);
  CHECK(extreme.back() == 1.0);

  CHECK(error_message([&] {
          retune_ladder(betas, std::vector<double>{0.5, 0.5});
        }).starts_with("ladder.acceptance_rates = 2: need one rate per neighbouring pair"));
  CHECK(error_message([&] {
          retune_ladder(betas, std::vector<double>{0.5, 1.5, 0.5});
        }) == "ladder.acceptance_rate = 1.5: must be in [0, 1]");
  CHECK(error_message([&] { retune_ladder(betas, rates, 0.0); }) ==
        "ladder.step = 0: must be in (0, 1]");
}

}  // namespace spinfer
