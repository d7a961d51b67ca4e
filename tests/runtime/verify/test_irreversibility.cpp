#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "runtime/verify/irreversibility.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;

namespace {

// Independent Gaussian values (Box-Muller on Philox) of mean `mean` and standard deviation 1.
std::vector<double> gaussian_series(std::size_t n, double mean, std::uint32_t chain) {
  std::vector<double> out(n);
  for (std::size_t t = 0; t < n; ++t) {
    const RandomBlock w = random_block(7, StreamPurpose::action, chain, t, 0);
    const double u1 = to_unit_interval(w[0]), u2 = to_unit_interval(w[1]);
    out[t] = mean + std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }
  return out;
}

std::vector<ChainSeries> chains_with_ep(double mean, std::size_t n = 4000) {
  std::vector<ChainSeries> chains(2);
  for (std::uint32_t c = 0; c < 2; ++c) chains[c].entropy_production = gaussian_series(n, mean, c);
  return chains;
}

using testing::config_with;

}  // namespace

TEST_CASE("entropy production summary: error bar, verdicts, infinity") {
  VerificationSettings settings;
  // 8000 independent unit-variance values: standard error 1 / sqrt(8000) = 0.011.
  const auto zero =
      summarise_entropy_production(chains_with_ep(0.0), "colour_phase", 2, 0.0, settings);
  CHECK(zero.per_sweep_error() == doctest::Approx(1 / std::sqrt(8000.0)).epsilon(0.1));
  CHECK(std::abs(zero.per_sweep()) < 4 * zero.per_sweep_error());
  CHECK(zero.verdict() == "consistent_with_zero");
  CHECK(zero.granularity() == "colour_phase");
  CHECK(zero.steps_per_sweep() == 2);
  CHECK(std::abs(zero.z_vs_exact()) < 4);

  const auto positive =
      summarise_entropy_production(chains_with_ep(0.2), "single_update", 5, 0.2, settings);
  CHECK(positive.verdict() == "positive");
  CHECK(std::abs(positive.per_sweep() - 0.2) < 4 * positive.per_sweep_error());
  CHECK(std::isnan(summarise_entropy_production(chains_with_ep(0.2), "x", 1,
                                                std::numeric_limits<double>::quiet_NaN(), settings)
                       .z_vs_exact()));

  auto with_infinity = chains_with_ep(0.0);
  with_infinity[1].entropy_production[17] = std::numeric_limits<double>::infinity();
  const auto infinite = summarise_entropy_production(with_infinity, "x", 1, 0.0, settings);
  CHECK(infinite.verdict() == "infinite");
  CHECK(infinite.infinite_sweeps() == 1);
  CHECK(std::isinf(infinite.per_sweep()));

  settings.min_effective_samples = 1e6;
  CHECK(summarise_entropy_production(chains_with_ep(0.2), "x", 1, 0.2, settings).verdict() ==
        "undetermined");
  CHECK(
      summarise_entropy_production(std::vector<ChainSeries>(2), "x", 1, 0.0, settings).verdict() ==
      "undetermined");
}

TEST_CASE("observed detailed balance: a driven cycle is rejected, a reversible walk is not") {
  VerificationSettings settings;
  // Three states visited in a fixed rotation 0 -> 1 -> 2 -> 0 (a driven ring), and a walk that
  // goes back and forth along 0 - 1 - 2 - 0 in both directions equally (reversible), at the
  // sweep granularity of a random-sequential run.
  std::vector<ChainSeries> driven(1), reversible(1);
  for (std::uint32_t t = 0; t < 3000; ++t) {
    driven[0].state.push_back(t % 3);
    const RandomBlock w = random_block(3, StreamPurpose::action, 0, t, 0);
    const std::uint32_t last = reversible[0].state.empty() ? 0 : reversible[0].state.back();
    reversible[0].state.push_back((last + ((w[0] >> 31) ? 1 : 2)) % 3);
  }
  const RunConfig sequential = config_with({"schedule=random_sequential"});
  const auto d = observed_detailed_balance(driven, sequential, {}, settings);
  CHECK(d.granularity() == "sweep");
  CHECK(d.dof() == 1);
  CHECK(d.verdict() == "rejected");
  const auto r = observed_detailed_balance(reversible, sequential, {}, settings);
  CHECK(r.verdict() == "consistent");
  CHECK(r.transitions() == 2999);
}

TEST_CASE("observed detailed balance: colour phases are rebuilt from consecutive sweeps") {
  VerificationSettings settings;
  // Two agents, one per colour (bits 0 and 1). Sweep-level states 00 -> 11 -> 00 -> ... are
  // phase-level 00 -> 01 -> 11 -> 10 -> 00: each phase crosses its pairs in both directions.
  std::vector<ChainSeries> chains(1);
  for (int t = 0; t < 400; ++t) chains[0].state.push_back(t % 2 ? 3u : 0u);
  const RunConfig chromatic = config_with({"schedule=chromatic"});
  const auto test = observed_detailed_balance(chains, chromatic, {1u, 2u}, settings);
  CHECK(test.granularity() == "colour_phase");
  CHECK(test.transitions() == 2 * 399);
  CHECK(test.pairs() == 4);  // {00,01}, {10,11} in phase 0; {01,11}, {00,10} in phase 1
  CHECK(test.dof() == 0);    // per phase the pairs form no cycle
  CHECK(test.verdict() == "undetermined");

  const RunConfig sparse = config_with({"schedule=chromatic", "measure_interval=2"});
  const auto skipped = observed_detailed_balance(chains, sparse, {1u, 2u}, settings);
  CHECK(skipped.verdict() == "undetermined");
  CHECK(skipped.note().find("measure_interval = 1") != std::string::npos);
}
