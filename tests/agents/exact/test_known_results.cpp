#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>

#include "agents/exact/exact_observables.hpp"
#include "agents/exact/known_results.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using namespace known_results;

// Onsager's free energy, -beta f = ln 2 + (1 / 2 pi^2) int_0^pi int_0^pi
// ln[cosh^2(2b) - sinh(2b)(cos t1 + cos t2)] dt1 dt2, by the midpoint rule: the integrand is
// smooth and even-periodic away from T_c, so the rule converges exponentially in the grid size.
double onsager_minus_beta_f(double beta) {
  constexpr int kGrid = 400;
  const double c = std::cosh(2 * beta), s = std::sinh(2 * beta);
  const double h = std::numbers::pi / kGrid;
  double sum = 0;
  for (int a = 0; a < kGrid; ++a) {
    for (int b = 0; b < kGrid; ++b) {
      sum += std::log(c * c - s * (std::cos((a + 0.5) * h) + std::cos((b + 0.5) * h)));
    }
  }
  return std::numbers::ln2 + sum * h * h / (2 * std::numbers::pi * std::numbers::pi);
}

}  // namespace

TEST_CASE("2D Ising critical temperature and the energy there") {
  const double tc = ising_2d_critical_temperature();
  CHECK(tc == doctest::Approx(2.269185314213022).epsilon(1e-14));
  // sinh(2 / T_c) = 1 defines the critical point.
  CHECK(std::sinh(2 / tc) == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(ising_2d_energy_per_spin(tc) == doctest::Approx(-std::numbers::sqrt2).epsilon(1e-12));
  // Continuous through T_c: the log-divergent K times a linearly vanishing factor; at 1e-8 from
  // T_c the product is ~ 1e-8 ln(1e-8), far below 1e-6.
  CHECK(ising_2d_energy_per_spin(tc * (1 - 1e-8)) ==
        doctest::Approx(-std::numbers::sqrt2).epsilon(1e-6));
  CHECK(ising_2d_energy_per_spin(tc * (1 + 1e-8)) ==
        doctest::Approx(-std::numbers::sqrt2).epsilon(1e-6));
}

TEST_CASE("2D Ising energy is the beta derivative of Onsager's free energy") {
  // Central difference with step d: truncation error ~ d^2 u''' / 6 ~ 1e-8, rounding ~ 1e-16 / d.
  constexpr double d = 1e-4;
  for (double t : {1.5, 2.0, 2.5, 3.0, 5.0}) {
    const double beta = 1 / t;
    const double u = -(onsager_minus_beta_f(beta + d) - onsager_minus_beta_f(beta - d)) / (2 * d);
    INFO("T = " << t);
    CHECK(ising_2d_energy_per_spin(t) == doctest::Approx(u).epsilon(1e-7));
  }
  // Tabulated: u(T = 2) = -1.74556...
  CHECK(ising_2d_energy_per_spin(2.0) == doctest::Approx(-1.7455645753).epsilon(1e-9));
}

TEST_CASE("2D Ising energy matches its low- and high-temperature series") {
  // Low T: single flipped spins cost 8 J, flipped neighbour pairs 12 J:
  // u = -2 + 8 e^{-8b} + 24 e^{-12b} + O(e^{-16b}) (the next coefficient is below 100).
  for (double t : {0.5, 0.6}) {
    const double b = 1 / t;
    const double series = -2 + 8 * std::exp(-8 * b) + 24 * std::exp(-12 * b);
    CHECK(std::abs(ising_2d_energy_per_spin(t) - series) < 100 * std::exp(-16 * b));
  }
  // High T: ln Z / N = ln 2 + 2 ln cosh b + v^4 + O(v^6), v = tanh b (closed loops of 4 bonds),
  // so u = -2v - 4v^3 + O(v^5).
  for (double t : {20.0, 50.0}) {
    const double v = std::tanh(1 / t);
    CHECK(std::abs(ising_2d_energy_per_spin(t) - (-2 * v - 4 * v * v * v)) < 20 * std::pow(v, 5));
  }
}

TEST_CASE("Yang's spontaneous magnetization") {
  const double tc = ising_2d_critical_temperature();
  CHECK(ising_2d_spontaneous_magnetization(tc) == 0.0);
  CHECK(ising_2d_spontaneous_magnetization(3.0) == 0.0);
  CHECK(ising_2d_spontaneous_magnetization(2.0) == doctest::Approx(0.9113193779).epsilon(1e-9));
  // Low-temperature series in x = e^{-2b}: M = 1 - 2x^4 - 8x^6 - 34x^8 + O(x^10).
  for (double t : {0.5, 0.8}) {
    const double x = std::exp(-2 / t);
    const double series = 1 - 2 * std::pow(x, 4) - 8 * std::pow(x, 6) - 34 * std::pow(x, 8);
    CHECK(std::abs(ising_2d_spontaneous_magnetization(t) - series) < 200 * std::pow(x, 10));
  }
  // The critical exponent 1/8: M ~ (T_c - T)^(1/8), so M^8 is linear in T_c - T near T_c.
  const double m1 = std::pow(ising_2d_spontaneous_magnetization(tc - 1e-4), 8);
  const double m2 = std::pow(ising_2d_spontaneous_magnetization(tc - 2e-4), 8);
  CHECK(m2 / m1 == doctest::Approx(2.0).epsilon(1e-3));
  CHECK(testing::error_message([] { ising_2d_spontaneous_magnetization(-1); }) ==
        "temperature = -1: must be finite and > 0");
  CHECK(testing::error_message([] { ising_2d_energy_per_spin(0); }) ==
        "temperature = 0: must be finite and > 0");
}

TEST_CASE("SK annealed energy and free energy") {
  CHECK(sk_annealed_energy_per_spin(0.5, 10) == doctest::Approx(-0.5 * 9 / 20.0));
  CHECK(sk_annealed_log_partition_per_spin(0.0, 10) == doctest::Approx(std::numbers::ln2));
  // The energy is minus the beta derivative of the log-partition function.
  const double d = 1e-5;
  const double derivative = (sk_annealed_log_partition_per_spin(0.7 + d, 12) -
                             sk_annealed_log_partition_per_spin(0.7 - d, 12)) /
                            (2 * d);
  CHECK(sk_annealed_energy_per_spin(0.7, 12) == doctest::Approx(-derivative).epsilon(1e-8));
}

TEST_CASE("SK annealed energy agrees with exact enumeration averaged over disorder") {
  // At beta = 0.2 the quenched and annealed energies differ by O(beta^3 / N) ~ 1e-3 of the
  // energy, far below the disorder noise. One instance's <E>/N ~ -beta sum J^2 / N has standard
  // deviation beta sqrt(2 * 45) / N^2 ~ 0.019 at N = 10; over 64 instances the mean has 0.0024.
  // The tolerance, 0.01, is four of those.
  constexpr int kInstances = 64;
  constexpr std::int64_t kN = 10;
  constexpr double kBeta = 0.2;
  double sum = 0;
  for (int seed = 1; seed <= kInstances; ++seed) {
    const SpinGlass glass =
        sherrington_kirkpatrick(kN, CouplingDistribution::gaussian, 0.0, 1.0, seed);
    const auto model = reduce_clamped(agents_from_spin_glass(glass, kBeta).precisions, {});
    sum += exact_thermodynamics(model, kBeta).energy_per_spin;
  }
  CHECK(std::abs(sum / kInstances - sk_annealed_energy_per_spin(kBeta, kN)) < 0.01);
}

}  // namespace spinfer
