#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/statistics/observables.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::error_message;

// Standard normals from the counter-based stream: sample t uses Philox block (seed, t).
double normal(std::uint64_t seed, std::uint64_t t) {
  const RandomBlock w = random_block(seed, StreamPurpose::action, 0, t, 0);
  auto unit = [](std::uint32_t hi, std::uint32_t lo) {  // in (0, 1)
    return ((static_cast<double>(hi) * 0x1p32 + lo) + 0.5) * 0x1p-64;
  };
  return std::sqrt(-2 * std::log(unit(w[0], w[1]))) *
         std::cos(2 * std::numbers::pi * unit(w[2], w[3]));
}

std::vector<double> iid_normal(std::size_t m, std::uint64_t seed, double mean = 0, double sd = 1) {
  std::vector<double> x(m);
  for (std::size_t t = 0; t < m; ++t) x[t] = mean + sd * normal(seed, t);
  return x;
}

// AR(1) x_{t+1} = a x_t + e_t started in its stationary law N(0, 1 / (1 - a^2)); its
// autocorrelation is a^t, so tau_int = 1/2 + a / (1 - a) = (1 + a) / (2 (1 - a)).
std::vector<double> ar1(std::size_t m, double a, std::uint64_t seed) {
  std::vector<double> x(m);
  x[0] = normal(seed, 0) / std::sqrt(1 - a * a);
  for (std::size_t t = 1; t < m; ++t) x[t] = a * x[t - 1] + normal(seed, t);
  return x;
}

double sample_standard_error(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const auto n = static_cast<double>(x.size());
  return std::sqrt(ss / (n - 1) / n);
}

}  // namespace

TEST_CASE("binning error of an AR(1) series matches the analytic error within 10%") {
  // Var(mean) = var(x) 2 tau / M with var(x) = 1 / (1 - a^2). The chosen level has blocks of at
  // least 20 tau, where the squared error is biased low by about tau / block <= 5% (<= 2.5% on
  // the error), and at least 2^20 / 1024 bins (a = 0.97 picks 1024-sample blocks), giving the
  // error a relative noise <= 1/sqrt(2 * 1024) ~ 2.2%: 10% is bias plus over three standard
  // deviations. tau_int = se^2 / (2 naive^2) carries twice the relative error, hence 20%.
  constexpr std::size_t kM = std::size_t{1} << 20;
  for (double a : {0.5, 0.9, 0.97}) {
    const auto x = ar1(kM, a, 11);
    const BinningAnalysis b = binning_analysis(x);
    const double tau = (1 + a) / (2 * (1 - a));
    const double analytic = std::sqrt(2 * tau / (1 - a * a) / kM);
    INFO("a = " << a << " se " << b.standard_error << " analytic " << analytic << " bin "
                << b.bin_size << " tau " << b.tau_int);
    CHECK(b.converged);
    CHECK(b.standard_error == doctest::Approx(analytic).epsilon(0.10));
    CHECK(b.tau_int == doctest::Approx(tau).epsilon(0.20));
    CHECK(b.naive_error == doctest::Approx(std::sqrt(1 / (1 - a * a) / kM)).epsilon(0.05));
    CHECK(static_cast<double>(b.bin_size) >= BinningAnalysis::kPlateauFactor * 2 * b.tau_int);
  }
}

TEST_CASE("binning: independent, constant, short and too-correlated series") {
  const auto iid = iid_normal(1 << 16, 3);
  const BinningAnalysis b = binning_analysis(iid);
  CHECK(b.converged);
  // The error on 2^16 / 32 = 2048 bins has relative noise ~ 1.6%: 10% is six of those.
  CHECK(b.standard_error == doctest::Approx(b.naive_error).epsilon(0.10));
  CHECK(b.tau_int == doctest::Approx(0.5).epsilon(0.2));

  const BinningAnalysis c = binning_analysis(std::vector<double>(100, 0.25));
  CHECK(c.mean == 0.25);
  CHECK(c.standard_error == 0.0);
  CHECK(c.tau_int == 0.5);
  CHECK(c.converged);

  const BinningAnalysis s = binning_analysis(std::vector<double>{1, 2, 3, 4});
  CHECK(!s.converged);
  CHECK(s.standard_error == doctest::Approx(std::sqrt(5.0 / 3 / 4)));

  // tau ~ 1000 with 4096 samples: no level has blocks of 20 tau and 32 bins.
  const BinningAnalysis slow = binning_analysis(ar1(4096, 0.999, 5));
  CHECK(!slow.converged);
  CHECK(slow.errors.size() == 8);  // levels 0..7 have >= 32 bins
  CHECK(std::isnan(binning_analysis(std::vector<double>{}).mean));
}

TEST_CASE("jackknife of a linear function equals the naive error of the block means") {
  const auto x = iid_normal(1000, 1, 2.0);
  const auto y = iid_normal(1000, 2, -1.0);
  auto linear = [](std::span<const double> m) { return 2 * m[0] - 3 * m[1]; };
  // One sample per block: exactly the naive standard error of 2x - 3y.
  std::vector<double> z(x.size());
  for (std::size_t t = 0; t < x.size(); ++t) z[t] = 2 * x[t] - 3 * y[t];
  const JackknifeEstimate per_sample = jackknife({x, y}, linear, 1000);
  CHECK(per_sample.error == doctest::Approx(sample_standard_error(z)).epsilon(1e-12));
  CHECK(per_sample.bias_corrected == doctest::Approx(per_sample.value).epsilon(1e-12));
  // 40 blocks of 25: the naive error of the 40 block means.
  std::vector<double> block_means(40, 0.0);
  for (std::size_t t = 0; t < z.size(); ++t) block_means[t / 25] += z[t] / 25;
  const JackknifeEstimate blocked = jackknife({x, y}, linear, 40);
  CHECK(blocked.error == doctest::Approx(sample_standard_error(block_means)).epsilon(1e-12));
  CHECK(blocked.value == doctest::Approx(2 * 2.0 - 3 * -1.0).epsilon(0.05));
}

TEST_CASE("jackknife of a nonlinear function: delta-method error and bias removal") {
  // f = <x>^2 with x ~ N(mu, 1): error 2 mu / sqrt(M) by the delta method. 256 blocks give the
  // jackknife error a relative noise of 1/sqrt(2 * 255) ~ 4.4%; 20% is over four of those.
  constexpr std::size_t kM = 1 << 16;
  const auto x = iid_normal(kM, 9, 3.0);
  const JackknifeEstimate j = jackknife(
      {x}, [](std::span<const double> m) { return m[0] * m[0]; }, 256);
  CHECK(j.error == doctest::Approx(2 * 3.0 / std::sqrt(kM)).epsilon(0.2));
  // E[<x>^2] = mu^2 + 1/M: the bias-corrected value removes the 1/M (shifts down by about it).
  CHECK(j.value - j.bias_corrected == doctest::Approx(1.0 / kM).epsilon(0.2));
  // Leftover samples are dropped from the front, so all blocks are equal.
  CHECK(jackknife(
            {{100, 1, 2, 3}}, [](std::span<const double> m) { return m[0]; }, 3)
            .value == doctest::Approx(2.0));
  CHECK(error_message([] {
          jackknife(
              {{1, 2}, {1}}, [](std::span<const double>) { return 0.0; }, 2);
        }) == "jackknife series length = 1: every series must have 2 samples");
  CHECK(error_message([] {
          jackknife(
              {{1, 2}}, [](std::span<const double>) { return 0.0; }, 3);
        }) == "jackknife samples = 2: fewer than the 3 blocks");
}

TEST_CASE("Binder cumulants: 0 for Gaussian, 2/3 (m) and 1 (q) for +-1") {
  const auto gauss = iid_normal(1 << 18, 4);
  const Estimate u = binder_cumulant(gauss);
  const Estimate g = overlap_binder(gauss);
  INFO("U = " << u.value << " +- " << u.error << ", g = " << g.value << " +- " << g.error);
  CHECK(u.error < 0.005);  // small enough that the checks below have power
  CHECK(std::abs(u.value) < 4 * u.error);
  CHECK(std::abs(g.value) < 4 * g.error);
  std::vector<double> pm(64);
  for (std::size_t t = 0; t < pm.size(); ++t) pm[t] = t % 3 == 0 ? 1.0 : -1.0;
  CHECK(binder_cumulant(pm).value == doctest::Approx(2.0 / 3).epsilon(1e-15));
  CHECK(binder_cumulant(pm).error == doctest::Approx(0.0));
  CHECK(overlap_binder(pm).value == doctest::Approx(1.0).epsilon(1e-15));
}

TEST_CASE("susceptibility, specific heat and spin-glass susceptibility") {
  constexpr std::size_t kM = 1 << 17;
  const auto m = iid_normal(kM, 6, 0.0, 0.1);
  // chi = N beta (<m^2> - <|m|>^2) = N beta sigma^2 (1 - 2/pi) for m ~ N(0, sigma^2).
  const Estimate chi = susceptibility(m, 50, 0.5);
  CHECK(std::abs(chi.value - 50 * 0.5 * 0.01 * (1 - 2 / std::numbers::pi)) < 4 * chi.error);
  CHECK(chi.error < 0.01 * chi.value);
  // m = +-1 only: |m| is constant, no fluctuation left.
  CHECK(susceptibility(std::vector<double>(64, -1.0), 10, 1.0).value == doctest::Approx(0.0));

  const auto e = iid_normal(kM, 7, -1.2, 0.05);
  const Estimate c = specific_heat(e, 100, 0.8);
  CHECK(std::abs(c.value - 0.8 * 0.8 * 100 * 0.05 * 0.05) < 4 * c.error);
  CHECK(c.error < 0.01 * c.value);

  const auto q = iid_normal(kM, 8, 0.0, 0.3);
  const Estimate chi_sg = spin_glass_susceptibility(q, 20);
  CHECK(std::abs(chi_sg.value - 20 * 0.09) < 4 * chi_sg.error);
  const Estimate q_ea = edwards_anderson_parameter(q);
  CHECK(std::abs(q_ea.value - 0.3 * std::sqrt(2 / std::numbers::pi)) < 4 * q_ea.error);

  CHECK(edwards_anderson_from_magnetizations(std::vector<double>{0.5, -0.5, 1.0, 0.0}) ==
        doctest::Approx(0.375));
  CHECK(error_message([&] { susceptibility(m, 0, 1.0); }) == "agents = 0: must be >= 1");
}

TEST_CASE("replica overlap") {
  const std::vector<std::int8_t> a = {1, 1, -1, -1, 1};
  const std::vector<std::int8_t> b = {1, -1, -1, 1, 1};
  CHECK(replica_overlap(a, b) == doctest::Approx(0.2));
  CHECK(replica_overlap(a, a) == 1.0);
  CHECK(error_message([&] {
          replica_overlap(a, std::vector<std::int8_t>(4, 1));
        }).starts_with("replica size = 4"));
}

TEST_CASE("overlap histogram: one bin per attainable q up to N = 256") {
  OverlapHistogram h(10);
  REQUIRE(h.bins() == 11);
  for (std::int64_t a = -10; a <= 10; a += 2) h.add_agreements(a);
  for (std::size_t k = 0; k < h.bins(); ++k) {
    CHECK(h.counts()[k] == 1);
    CHECK(h.centre(k) == doctest::Approx(-1.0 + 0.2 * static_cast<double>(k)));
  }
  const std::vector<std::int8_t> a = {1, 1, -1, -1, 1, 1, 1, 1, 1, 1};
  const std::vector<std::int8_t> b = {1, -1, -1, 1, 1, 1, 1, 1, 1, 1};
  h.add(a, b);  // q = 0.6: bin 8
  CHECK(h.counts()[8] == 2);
  CHECK(h.total() == 12);
  CHECK(h.probabilities()[8] == doctest::Approx(2.0 / 12));

  OverlapHistogram odd(255);
  CHECK(odd.bins() == 256);
  odd.add_agreements(-255);
  odd.add_agreements(1);
  CHECK(odd.counts()[0] == 1);
  CHECK(odd.counts()[128] == 1);
  CHECK(odd.centre(128) == doctest::Approx(1.0 / 255));

  // Above 256 agents the attainable values are rounded to 257 centres -1 + 2k/256.
  OverlapHistogram large(1000);
  CHECK(large.bins() == 257);
  large.add_agreements(1000);
  large.add_agreements(-1000);
  large.add_agreements(2);  // q = 0.002: nearest centre 0 (bin 128)
  large.add_agreements(6);  // q = 0.006: nearest centre 1/128 ~ 0.0078 (bin 129)
  CHECK(large.counts()[256] == 1);
  CHECK(large.counts()[0] == 1);
  CHECK(large.counts()[128] == 1);
  CHECK(large.counts()[129] == 1);

  OverlapHistogram other(10);
  other.add_agreements(0);
  h.merge(other);
  CHECK(h.counts()[5] == 2);
  CHECK(error_message([&] { h.merge(large); }) ==
        "overlap histogram N = 1000: cannot merge into N = 10");
  CHECK(error_message([&] { h.add_agreements(12); }) ==
        "overlap agreements = 12: must be in [-N, N] with N = 10");
  CHECK(OverlapHistogram(3).probabilities() == std::vector<double>(4, 0.0));
}

}  // namespace spinfer
