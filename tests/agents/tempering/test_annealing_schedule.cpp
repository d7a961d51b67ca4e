#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "agents/tempering/annealing_schedule.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

using testing::error_message;

TEST_CASE("linear annealing: equal steps in beta from start to end") {
  const auto betas = annealing_schedule(AnnealingKind::linear, 0.0, 2.0, 5);
  REQUIRE(betas.size() == 5);
  for (std::size_t t = 0; t < betas.size(); ++t) {
    CHECK(betas[t] == doctest::Approx(0.5 * static_cast<double>(t)).epsilon(1e-15));
  }
  CHECK(betas.back() == 2.0);
  // Heating is the same line walked backwards.
  const auto heating = annealing_schedule(AnnealingKind::linear, 2.0, 0.0, 5);
  CHECK(heating.front() == 2.0);
  CHECK(heating.back() == 0.0);
}

TEST_CASE("geometric annealing: equal ratios, exact endpoints") {
  const auto betas = annealing_schedule(AnnealingKind::geometric, 0.1, 10.0, 101);
  REQUIRE(betas.size() == 101);
  CHECK(betas.front() == 0.1);
  CHECK(betas.back() == 10.0);
  for (std::size_t t = 1; t < betas.size(); ++t) {
    CHECK(betas[t] / betas[t - 1] == doctest::Approx(std::pow(100.0, 0.01)).epsilon(1e-12));
  }
}

TEST_CASE("annealing: a single sweep runs at the end beta") {
  CHECK(annealing_schedule(AnnealingKind::geometric, 0.5, 3.0, 1) == std::vector<double>{3.0});
}

TEST_CASE("annealing rejects bad input") {
  CHECK(parse_annealing_kind("annealing.kind", "geometric") == AnnealingKind::geometric);
  CHECK(error_message([] { parse_annealing_kind("annealing.kind", "cubic"); }) ==
        "annealing.kind = cubic: must be linear or geometric");
  CHECK(error_message([] { annealing_schedule(AnnealingKind::linear, 0, 1, 0); }) ==
        "annealing.sweeps = 0: must be >= 1");
  CHECK(error_message([] { annealing_schedule(AnnealingKind::linear, -1, 1, 10); }) ==
        "annealing.beta_start = -1: must be finite and >= 0");
  CHECK(error_message([] { annealing_schedule(AnnealingKind::geometric, 0, 1, 10); }) ==
        "annealing.beta_start = 0: must be > 0 for a geometric schedule");
  CHECK(error_message([] { annealing_schedule(AnnealingKind::linear, 0, NAN, 10); }) ==
        "annealing.beta_end = nan: must be finite and >= 0");
}

}  // namespace spinfer

namespace spinfer {

TEST_CASE("annealing_beta is annealing_schedule entry by entry, bit for bit") {
  for (const auto kind : {AnnealingKind::linear, AnnealingKind::geometric}) {
    for (const std::int64_t sweeps : {1, 2, 7, 1000}) {
      const auto betas = annealing_schedule(kind, 0.05, 3.0, sweeps);
      for (std::int64_t t = 0; t < sweeps; ++t)
        CHECK(annealing_beta(kind, 0.05, 3.0, sweeps, t) == betas[t]);
    }
  }
  CHECK(testing::error_message([] {
          (void)annealing_beta(AnnealingKind::linear, 0.0, 1.0, 10, 10);
        }).find("annealing sweep = 10") != std::string::npos);
  CHECK(testing::error_message([] {
          (void)annealing_beta(AnnealingKind::geometric, 0.0, 1.0, 10, 0);
        }).find("annealing.beta_start = 0") != std::string::npos);
}

}  // namespace spinfer
