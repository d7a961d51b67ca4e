#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/statistics/statistics.hpp"

namespace spinfer {
namespace {

// Own samplers on top of the raw mt19937_64 words, so the streams are the same on every standard
// library (std::normal_distribution is implementation-defined).
double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
}

double normal(std::mt19937_64& rng) {
  const double u = 1.0 - uniform01(rng);  // (0, 1], safe for the log
  const double v = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

std::vector<double> iid_normal(std::size_t m, double mean, std::mt19937_64& rng) {
  std::vector<double> x(m);
  for (double& v : x) v = mean + normal(rng);
  return x;
}

// AR(1): x_{t+1} = a x_t + e_t, e_t ~ N(0, 1); started in the stationary law N(0, 1/(1-a^2)).
std::vector<double> ar1(std::size_t m, double a, std::mt19937_64& rng) {
  std::vector<double> x(m);
  x[0] = normal(rng) / std::sqrt(1.0 - a * a);
  for (std::size_t t = 1; t < m; ++t) x[t] = a * x[t - 1] + normal(rng);
  return x;
}

std::vector<std::uint64_t> multinomial(std::uint64_t draws, const std::vector<double>& p,
                                       std::mt19937_64& rng) {
  std::vector<std::uint64_t> counts(p.size(), 0);
  for (std::uint64_t d = 0; d < draws; ++d) {
    double u = uniform01(rng);
    std::size_t s = 0;
    while (s + 1 < p.size() && u >= p[s]) u -= p[s++];
    ++counts[s];
  }
  return counts;
}

}  // namespace

TEST_CASE("tau_int of an AR(1) process") {
  // For AR(1), rho(t) = a^t, so tau_int = 1/2 + a/(1-a) = (1+a)/(2(1-a)) = 4.5 at a = 0.8.
  // Tolerance: Madras-Sokal give var(tau_hat) ~ 2(2W+1)/M tau^2; with W ~ 6 tau ~ 27 and
  // M = 200000 the relative standard deviation is sqrt(110/200000) ~ 2.3%, and the window
  // truncation bias a^{W+1}/(1-a) ~ 0.01 is 0.2%. 15% is more than 6 standard deviations.
  std::mt19937_64 rng(12345);
  const double a = 0.8;
  const auto x = ar1(200000, a, rng);
  const double expected = (1 + a) / (2 * (1 - a));
  CHECK(integrated_autocorrelation_time(x) == doctest::Approx(expected).epsilon(0.15));

  // The standard error of the mean then accounts for the correlation: var = 1/(1-a^2), so
  // se = sqrt(var 2 tau / M) ~ 0.0112 (same relative tolerance: se ~ sqrt(tau)).
  const MeanEstimate e = estimate_mean(x);
  const double expected_se = std::sqrt(1.0 / (1 - a * a) * 2 * expected / 200000.0);
  CHECK(e.standard_error == doctest::Approx(expected_se).epsilon(0.1));
  CHECK(e.effective_samples == doctest::Approx(200000.0 / (2 * expected)).epsilon(0.15));
  CHECK(std::abs(e.mean) < 5 * expected_se);
}

TEST_CASE("tau_int of iid noise and degenerate series") {
  std::mt19937_64 rng(1);
  // iid: the window stops at W = 3, tau = 1/2 + rho(1) + rho(2) + rho(3) with each rho ~
  // N(0, 1/M): standard deviation sqrt(3/M) ~ 0.0055 for M = 100000, so 0.03 is > 5 sigma.
  const auto x = iid_normal(100000, 0.0, rng);
  const double tau = integrated_autocorrelation_time(x);
  CHECK(tau >= 0.5);
  CHECK(tau < 0.53);
  const MeanEstimate e = estimate_mean(x);
  CHECK(e.standard_error == doctest::Approx(1.0 / std::sqrt(100000.0)).epsilon(0.05));
  CHECK(e.effective_samples == doctest::Approx(100000.0).epsilon(0.06));

  CHECK(integrated_autocorrelation_time(std::vector<double>(1000, 2.0)) == 0.5);
  // 0.1 is not representable: the mean's rounding must not look like a perfect correlation.
  CHECK(integrated_autocorrelation_time(std::vector<double>(1000, 0.1)) == 0.5);
  CHECK(estimate_mean(std::vector<double>(1000, 0.1)).standard_error == 0.0);
  CHECK(integrated_autocorrelation_time(std::vector<double>{1.0, -1.0, 1.0}) == 0.5);
  // A slowly varying series has a long tau; the window cap M/2 keeps it finite.
  std::vector<double> ramp(400);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i);
  CHECK(integrated_autocorrelation_time(ramp) > 20);
  std::vector<double> broken(100, 1.0);
  broken[50] = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(integrated_autocorrelation_time(broken)));
}

TEST_CASE("chi-square and normal tails") {
  CHECK(std::abs(chi_square_survival(3.84146, 1) - 0.05) < 1e-4);
  CHECK(std::abs(chi_square_survival(5.99146, 2) - 0.05) < 1e-5);
  CHECK(std::abs(chi_square_survival(18.307, 10) - 0.05) < 1e-4);
  CHECK(std::abs(chi_square_survival(6.63490, 1) - 0.01) < 1e-5);
  // dof = 2 is the exponential law: P(X >= x) = exp(-x/2).
  CHECK(chi_square_survival(1.0, 2) == doctest::Approx(std::exp(-0.5)).epsilon(1e-14));
  CHECK(chi_square_survival(0.0, 3) == 1.0);
  CHECK(chi_square_survival(-1.0, 3) == 1.0);
  CHECK(chi_square_survival(1e4, 3) < 1e-300);

  CHECK(std::abs(normal_two_sided_p(1.959964) - 0.05) < 1e-6);
  CHECK(normal_two_sided_p(-1.959964) == normal_two_sided_p(1.959964));
  CHECK(normal_two_sided_p(0.0) == 1.0);
}

TEST_CASE("pooled chi-square: pooling and inflation by hand") {
  SUBCASE("small cells pooled, pool too small and dropped") {
    // Expected 50, 30, 10, 6, 4: the last cell alone is the pool, 4 < 5, dropped. The kept
    // cells hold 96 counts against p / 0.96, i.e. expected 50, 30, 10, 6.
    const auto fit = pooled_chi_square({48, 31, 12, 5, 4}, {0.5, 0.3, 0.1, 0.06, 0.04}, 1.0);
    CHECK(fit.cells == 4);
    CHECK(fit.dof == 3);
    CHECK(fit.statistic == doctest::Approx(4.0 / 50 + 1.0 / 30 + 4.0 / 10 + 1.0 / 6));
    CHECK(fit.p_value == doctest::Approx(chi_square_survival(fit.statistic, 3)));
  }
  SUBCASE("pooled cell kept or dropped as inflation shrinks the sample") {
    const std::vector<double> p = {0.5, 0.3, 0.12, 0.04, 0.02, 0.02};
    const std::vector<std::uint64_t> n = {45, 33, 14, 5, 2, 1};
    // inflation 1: expected 50, 30, 12 kept; 4, 2, 2 pooled into one kept cell of 8 (count 8).
    const auto fit1 = pooled_chi_square(n, p, 1.0);
    CHECK(fit1.cells == 4);
    CHECK(fit1.dof == 3);
    const double x2 = 25.0 / 50 + 9.0 / 30 + 4.0 / 12 + 0.0 / 8;
    CHECK(fit1.statistic == doctest::Approx(x2));
    // inflation 2: effective 25, 15, 6 kept, pool 4 dropped; the 92 kept counts are compared
    // with p / 0.92, i.e. expected 50, 30, 12 again, and the statistic is halved.
    const auto fit2 = pooled_chi_square(n, p, 2.0);
    CHECK(fit2.cells == 3);
    CHECK(fit2.statistic == doctest::Approx((25.0 / 50 + 9.0 / 30 + 4.0 / 12) / 2));
    // inflation 3: effective 16.7, 10 kept; pool 0.2 * 33.3 = 6.7 kept (count 22, expected 20).
    const auto fit3 = pooled_chi_square(n, p, 3.0);
    CHECK(fit3.cells == 3);
    CHECK(fit3.statistic == doctest::Approx((25.0 / 50 + 9.0 / 30 + 4.0 / 20) / 3));
    // inflation 5: effective 10, 6 kept; pool 4 dropped; 78 counts against 0.5/0.8, 0.3/0.8.
    const auto fit5 = pooled_chi_square(n, p, 5.0);
    CHECK(fit5.cells == 2);
    CHECK(fit5.dof == 1);
    CHECK(fit5.statistic == doctest::Approx((3.75 * 3.75 / 48.75 + 3.75 * 3.75 / 29.25) / 5));
    // inflation < 1 is meaningless (it would invent samples) and is treated as 1.
    CHECK(pooled_chi_square(n, p, 0.25).statistic == doctest::Approx(x2));
  }
  SUBCASE("fewer than two cells: no test") {
    const auto fit = pooled_chi_square({3, 1}, {0.6, 0.4}, 1.0);
    CHECK(fit.cells == 0);
    CHECK(fit.dof == 0);
    CHECK(fit.p_value == 1.0);
    CHECK(pooled_chi_square({}, {}, 1.0).p_value == 1.0);
  }
}

TEST_CASE("pooled chi-square p-values are uniform under the null and reject wrong counts") {
  // Six cells kept individually at N = 2000 and five of expected count 4 that must be pooled
  // (pooled expected count 20, kept): 7 cells.
  const std::vector<double> p = {0.35,  0.25,  0.2,   0.1,   0.05, 0.04,
                                 0.002, 0.002, 0.002, 0.002, 0.002};
  std::mt19937_64 rng(2718);
  const int repeats = 200;
  int rejected = 0;
  double mean_p = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto fit = pooled_chi_square(multinomial(2000, p, rng), p, 1.0);
    CHECK(fit.cells == 7);
    rejected += fit.p_value < 0.05 ? 1 : 0;
    mean_p += fit.p_value / repeats;
  }
  MESSAGE("null: " << rejected << " of " << repeats << " p < 0.05, mean p " << mean_p);
  // Under the null the number of p < 0.05 is Binomial(200, 0.05): mean 10, sd 3.1.
  // P(X = 0) = 0.95^200 = 3.5e-5 and P(X >= 23) ~ 1e-4, so [1, 22] fails by chance < 2e-4.
  CHECK(rejected >= 1);
  CHECK(rejected <= 22);
  // The mean of 200 uniform p-values has sd sqrt(1/12/200) = 0.02; +-0.1 is 5 sd.
  CHECK(mean_p == doctest::Approx(0.5).epsilon(0.2));

  // Counts drawn from a visibly different law (mass moved from cell 0 to cell 1).
  std::vector<double> wrong = p;
  wrong[0] -= 0.05;
  wrong[1] += 0.05;
  const auto fit = pooled_chi_square(multinomial(20000, wrong, rng), p, 1.0);
  CHECK(fit.p_value < 1e-6);
  // With an inflation of 400 the same counts are only 50 effective samples: no rejection.
  CHECK(pooled_chi_square(multinomial(20000, wrong, rng), p, 400.0).p_value > 1e-3);
}

TEST_CASE("total variation and KL divergence by hand") {
  // Empirical (0.75, 0.25, 0) against (0.5, 0.25, 0.25).
  const std::vector<std::uint64_t> n = {3, 1, 0};
  const std::vector<double> p = {0.5, 0.25, 0.25};
  CHECK(total_variation(n, p) == doctest::Approx(0.5 * (0.25 + 0 + 0.25)));
  CHECK(kl_divergence(n, p) == doctest::Approx(0.75 * std::log(1.5)));
  CHECK(total_variation({2, 2}, {0.5, 0.5}) == 0.0);
  CHECK(kl_divergence({2, 2}, {0.5, 0.5}) == 0.0);
  CHECK(total_variation({0, 5}, {1.0, 0.0}) == doctest::Approx(1.0));
  CHECK(std::isinf(kl_divergence({1, 5}, {1.0, 0.0})));
  CHECK(kl_divergence({5, 0}, {0.5, 0.5}) == doctest::Approx(std::log(2.0)));
}

TEST_CASE("compare_chains") {
  std::mt19937_64 rng(4242);
  SUBCASE("chains from one distribution agree") {
    std::vector<std::vector<double>> chains;
    for (int c = 0; c < 4; ++c) chains.push_back(iid_normal(5000, 1.0, rng));
    const auto agreement = compare_chains(chains);
    CHECK(agreement.rhat < 1.01);
    CHECK(agreement.p_value > 1e-3);
    CHECK(agreement.effective_samples == doctest::Approx(20000).epsilon(0.06));
  }
  SUBCASE("correlated chains agree once errors are tau-corrected") {
    // Naive iid errors would be 3 times too small (2 tau = 9) and reject these chains.
    std::vector<std::vector<double>> chains;
    for (int c = 0; c < 4; ++c) chains.push_back(ar1(50000, 0.8, rng));
    const auto agreement = compare_chains(chains);
    CHECK(agreement.rhat < 1.01);
    CHECK(agreement.p_value > 1e-3);
    CHECK(agreement.effective_samples == doctest::Approx(200000.0 / 9).epsilon(0.15));
  }
  SUBCASE("shifted means are detected") {
    std::vector<std::vector<double>> chains;
    for (int c = 0; c < 4; ++c) chains.push_back(iid_normal(5000, 1.0 * c, rng));
    const auto agreement = compare_chains(chains);
    CHECK(agreement.rhat > 1.1);
    CHECK(agreement.p_value < 1e-6);
  }
  SUBCASE("a drift inside each chain shows in split R-hat") {
    std::vector<std::vector<double>> chains;
    for (int c = 0; c < 2; ++c) {
      auto x = iid_normal(4000, 0.0, rng);
      for (std::size_t i = 2000; i < x.size(); ++i) x[i] += 3.0;
      chains.push_back(x);
    }
    CHECK(compare_chains(chains).rhat > 1.1);
  }
  SUBCASE("constant chains") {
    const std::vector<double> ones(10, 1.0), twos(10, 2.0);
    CHECK(compare_chains({ones, ones}).p_value == 1.0);
    CHECK(compare_chains({ones, ones}).rhat == 1.0);
    CHECK(compare_chains({ones, twos}).p_value == 0.0);
    CHECK(std::isinf(compare_chains({ones, twos}).rhat));
  }
  SUBCASE("input errors") {
    CHECK_THROWS_AS(compare_chains({iid_normal(100, 0.0, rng)}), Error);
    CHECK_THROWS_AS(compare_chains({{1.0, 2.0, 3.0}, {1.0, 2.0, 3.0}}), Error);
  }
}

}  // namespace spinfer
