#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/instances/instances.hpp"
#include "runtime/observe/ensemble_analysis.hpp"

namespace spinfer {
namespace {

double uniform(std::uint64_t t, std::uint64_t lane) {
  return to_unit_interval(random_block(9, StreamPurpose::action, 0, t, lane)[0]);
}

// Independent samples: m = +-1 with equal odds at temperature 0 (an ordered Ising-like state),
// m uniform in [-1, 1] at temperature 1; energies uniform around -1; overlaps +-1 or uniform.
EnsembleSeries synthetic(std::int64_t samples) {
  EnsembleSeries s;
  s.temperatures = 2;
  s.replicas = 3;
  s.patterns = 1;
  for (std::int64_t t = 0; t < samples; ++t) {
    for (int k = 0; k < 2; ++k)
      for (int a = 0; a < 3; ++a) {
        const std::uint64_t lane = static_cast<std::uint64_t>(10 * k + a);
        s.energy.push_back(-1.0 + 0.2 * (uniform(t, lane) - 0.5));
        const double u = uniform(t, lane + 100);
        s.magnetization.push_back(k == 0 ? (u < 0.5 ? -1.0 : 1.0) : 2 * u - 1);
        s.pattern.push_back(k == 0 ? 0.9 : 0.1);
      }
    for (int k = 0; k < 2; ++k)
      for (int p = 0; p < 3; ++p) {
        const double u = uniform(t, static_cast<std::uint64_t>(200 + 10 * k + p));
        s.overlap.push_back(k == 0 ? (u < 0.5 ? -1.0 : 1.0) : 2 * u - 1);
      }
  }
  return s;
}

}  // namespace

TEST_CASE("ensemble analysis: pooled observables hit their known values within errors") {
  const EnsembleSeries s = synthetic(20000);
  REQUIRE(s.samples() == 20000);
  REQUIRE(s.pairs() == 3);
  const auto ordered = analyse_temperature(s, 0, 2.0, 100);
  const auto flat = analyse_temperature(s, 1, 0.5, 100);
  // 5 standard errors: a false alarm about once in 10^6 per check.
  const auto near = [](const record::Measured& m, double value) {
    return std::fabs(m.value() - value) < 5 * m.error() + 1e-12;
  };
  CHECK(near(ordered.energy_per_spin(), -1.0));
  CHECK(near(flat.energy_per_spin(), -1.0));
  // Uniform noise of width 0.2 on e: C = N beta^2 (<e^2> - <e>^2) = N beta^2 0.2^2 / 12, pooling
  // <e> and <e^2> over the replicas separately.
  CHECK(near(ordered.specific_heat(), 100 * 4.0 * 0.04 / 12));
  CHECK(ordered.abs_magnetization().value() == 1.0);
  CHECK(ordered.binder().value() == doctest::Approx(2.0 / 3.0));  // m = +-1
  CHECK(near(flat.binder(), 1.0 - (1.0 / 5) / (3.0 / 9)));        // uniform m: 1 - <m^4>/3<m^2>^2
  CHECK(near(flat.abs_magnetization(), 0.5));
  CHECK(near(flat.m2(), 1.0 / 3));
  CHECK(ordered.overlap_binder().value() == doctest::Approx(1.0));  // q = +-1
  CHECK(near(flat.q_ea(), 0.5));
  CHECK(near(flat.spin_glass_susceptibility(), 100.0 / 3));
  CHECK(near(flat.overlap_binder(), 0.5 * (3 - (1.0 / 5) / (1.0 / 9))));
  REQUIRE(ordered.pattern_overlaps_size() == 1);
  CHECK(ordered.pattern_overlaps(0).value() == doctest::Approx(0.9));
  // Independent samples: tau_int near 1/2.
  CHECK(flat.energy_per_spin().tau_int() < 1.0);
  CHECK(flat.samples() == 20000);
}

TEST_CASE("ensemble analysis: the exact comparison accepts agreement and rejects a shift") {
  const EnsembleSeries s = synthetic(20000);
  std::vector<record::TemperatureObservables> measured{analyse_temperature(s, 1, 0.5, 100)};
  ExactReference truth;
  auto& th = truth.thermodynamics;
  th.energy_per_spin = -1.0;
  th.abs_magnetization = 0.5;
  th.m2 = 1.0 / 3;
  th.m4 = 1.0 / 5;
  th.susceptibility = 100 * 0.5 * (1.0 / 3 - 0.25);
  th.specific_heat = 100 * 0.25 * 0.04 / 12;
  th.binder = 1.0 - 0.2 / (3.0 / 9);
  truth.overlap.abs_mean = 0.5;
  truth.overlap.q2 = 1.0 / 3;
  truth.overlap.q4 = 1.0 / 5;
  truth.overlap.spin_glass_susceptibility = 100.0 / 3;
  truth.overlap.binder = 0.5 * (3 - 0.2 * 9);
  const VerificationSettings settings{0.01, 100};
  const record::Comparison good = compare_with_exact_observables(measured, {truth}, settings);
  CHECK(good.verdict() == "consistent");
  CHECK(good.max_abs_z() < 4.5);
  ExactReference shifted = truth;
  shifted.thermodynamics.energy_per_spin += 10 * measured[0].energy_per_spin().error();
  const record::Comparison bad = compare_with_exact_observables(measured, {shifted}, settings);
  CHECK(bad.verdict() == "rejected");
  CHECK(bad.max_abs_z() > 9);
}

TEST_CASE("ensemble analysis: enumeration of a small instance gives the exact references") {
  const SpinGlass glass = sherrington_kirkpatrick(8, CouplingDistribution::gaussian, 0, 1, 2);
  const ExactReference r = exact_reference(glass, 0.7);
  CHECK(r.thermodynamics.agents == 8);
  double total = 0;
  for (double p : r.overlap.distribution) total += p;
  CHECK(total == doctest::Approx(1.0));
  CHECK(r.overlap.abs_mean > 0);
  CHECK(r.thermodynamics.energy_per_spin < 0);
}

}  // namespace spinfer
