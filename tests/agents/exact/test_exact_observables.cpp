#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/exact/exact_observables.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/ising_agent.hpp"
#include "agents/statistics/observables.hpp"
#include "agents/statistics/statistics.hpp"
#include "agents/tempering/temperature_ladder.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::error_message;

ReducedModel model_at(const SpinGlass& glass, double beta) {
  return reduce_clamped(agents_from_spin_glass(glass, beta).precisions, {});
}

SpinGlass sk_with_fields(AgentId n, std::uint64_t seed, double field_spread) {
  SpinGlass glass = sherrington_kirkpatrick(n, CouplingDistribution::gaussian, 0.0, 1.0, seed);
  add_fields(glass, 0.1, field_spread, seed + 1);
  return glass;
}

// Dense J for the samplers below.
Eigen::MatrixXd dense_couplings(const WeightedGraph& g) {
  Eigen::MatrixXd j = Eigen::MatrixXd::Zero(g.size(), g.size());
  for (AgentId i = 0; i < g.size(); ++i) {
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e)
      j(i, g.columns[e]) = g.weights[e];
  }
  return j;
}

// E = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i in units of J.
double energy(const Eigen::MatrixXd& j, const std::vector<double>& h,
              const std::vector<std::int8_t>& s) {
  double e = 0;
  for (std::size_t a = 0; a < s.size(); ++a) {
    e -= h[a] * s[a];
    for (std::size_t b = a + 1; b < s.size(); ++b) e -= j(a, b) * s[a] * s[b];
  }
  return e;
}

// Per-temperature time series of a parallel-tempering run with two independent ladders (the
// overlap needs two replicas at each temperature).
struct TemperingSeries {
  std::vector<double> e, m, q;
  OverlapHistogram histogram;
  explicit TemperingSeries(std::int64_t n) : histogram(n) {}
};

// Heat-bath sweeps (the Heins agents acting in turn) at each beta of the ladder, then swaps of
// neighbouring temperatures (even pairs on even sweeps, odd pairs on odd sweeps) with the
// Metropolis rule of temperature_ladder.hpp. All randomness comes from the Philox streams.
std::vector<TemperingSeries> parallel_tempering(const SpinGlass& glass,
                                                const std::vector<double>& betas,
                                                std::uint64_t seed, int thermalization,
                                                int sweeps) {
  const auto n = static_cast<std::size_t>(glass.couplings.size());
  const Eigen::MatrixXd j = dense_couplings(glass.couplings);
  const std::vector<double>& h = glass.couplings.fields;
  const std::size_t temps = betas.size();
  std::vector<std::vector<std::vector<std::int8_t>>> config(
      2, std::vector<std::vector<std::int8_t>>(temps, std::vector<std::int8_t>(n, 1)));
  std::vector<TemperingSeries> series(temps, TemperingSeries(static_cast<std::int64_t>(n)));
  for (int t = 0; t < thermalization + sweeps; ++t) {
    const auto sweep = static_cast<std::uint64_t>(t);
    for (std::uint32_t ladder = 0; ladder < 2; ++ladder) {
      for (std::size_t k = 0; k < temps; ++k) {
        auto& s = config[ladder][k];
        const auto chain = static_cast<std::uint32_t>(ladder * temps + k);
        for (std::size_t i = 0; i < n; ++i) {
          double evidence = 0;
          for (std::size_t l = 0; l < n; ++l) evidence += betas[k] * j(i, l) * s[l];
          const auto u = random_block(seed, StreamPurpose::action, chain, sweep, i / 4)[i % 4];
          s[i] = ising_agent::act(ActionRule::sample_posterior, betas[k] * h[i], evidence, u);
        }
      }
      for (std::size_t k = t % 2; k + 1 < temps; k += 2) {
        auto& a = config[ladder][k];
        auto& b = config[ladder][k + 1];
        const double accept =
            swap_acceptance(betas[k], betas[k + 1], energy(j, h, a), energy(j, h, b));
        const auto u =
            random_block(seed, StreamPurpose::site_selection, ladder, sweep, k / 4)[k % 4];
        if (to_unit_interval(u) < accept) std::swap(a, b);
      }
    }
    if (t < thermalization) continue;
    for (std::size_t k = 0; k < temps; ++k) {
      const auto& a = config[0][k];
      double m = 0;
      for (auto v : a) m += v;
      series[k].e.push_back(energy(j, h, a) / static_cast<double>(n));
      series[k].m.push_back(m / static_cast<double>(n));
      series[k].q.push_back(replica_overlap(a, config[1][k]));
      series[k].histogram.add(a, config[1][k]);
    }
  }
  return series;
}

// Sum of x_i^p; a plain loop, as Eigen's reductions trip a false -Wmaybe-uninitialized in
// GCC 12's AVX-512 headers.
double power_sum(const Eigen::VectorXd& x, int p) {
  double sum = 0;
  for (double v : x) sum += std::pow(v, p);
  return sum;
}

std::vector<double> powers(const std::vector<double>& x, int p) {
  std::vector<double> y(x.size());
  for (std::size_t t = 0; t < x.size(); ++t) y[t] = std::pow(std::abs(x[t]), p);
  return y;
}

}  // namespace

TEST_CASE("exact thermodynamics of one spin in a field") {
  const double beta = 0.7, h = 1.3;
  ReducedModel model{{0}, Eigen::MatrixXd::Zero(1, 1), Eigen::VectorXd::Constant(1, beta * h)};
  const ExactThermodynamics r = exact_thermodynamics(model, beta);
  const double t = std::tanh(beta * h);
  CHECK(r.agents == 1);
  CHECK(r.log_partition == doctest::Approx(std::log(2 * std::cosh(beta * h))).epsilon(1e-14));
  CHECK(r.free_energy_per_spin == doctest::Approx(-r.log_partition / beta).epsilon(1e-14));
  CHECK(r.energy_per_spin == doctest::Approx(-h * t).epsilon(1e-14));
  CHECK(r.magnetization == doctest::Approx(t).epsilon(1e-14));
  CHECK(r.abs_magnetization == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(r.m2 == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(r.specific_heat == doctest::Approx(beta * beta * h * h * (1 - t * t)).epsilon(1e-12));
  CHECK(r.susceptibility == doctest::Approx(0.0));
  CHECK(r.connected_susceptibility == doctest::Approx(beta * (1 - t * t)).epsilon(1e-12));
  CHECK(r.binder == doctest::Approx(2.0 / 3).epsilon(1e-14));
  CHECK(error_message([&] { exact_thermodynamics(model, 0.0); }) ==
        "beta = 0: must be finite and > 0");
}

TEST_CASE("exact thermodynamics agrees with the oracle's moments and with derivatives") {
  const SpinGlass glass = sk_with_fields(9, 17, 0.3);
  const double beta = 0.8;
  const ReducedModel model = model_at(glass, beta);
  const ExactThermodynamics r = exact_thermodynamics(model, beta);
  const auto p = boltzmann_distribution(model);
  const Eigen::VectorXd mi = exact_magnetizations(p, 9);
  const Eigen::MatrixXd cij = exact_correlations(p, 9);
  CHECK(r.magnetization == doctest::Approx(power_sum(mi, 1) / 9).epsilon(1e-12));
  // <E> = -sum_{i<j} J_ij <s_i s_j> - sum_i h_i <s_i>.
  double e = 0;
  for (int i = 0; i < 9; ++i) {
    e -= glass.couplings.fields[i] * mi[i];
    for (int l = i + 1; l < 9; ++l) e -= edge_weight(glass.couplings, i, l) * cij(i, l);
  }
  CHECK(r.energy_per_spin == doctest::Approx(e / 9).epsilon(1e-12));

  // Central differences in beta and in a uniform extra field (step d, error ~ d^2 ~ 1e-10).
  constexpr double d = 1e-5;
  const auto up = exact_thermodynamics(model_at(glass, beta + d), beta + d);
  const auto down = exact_thermodynamics(model_at(glass, beta - d), beta - d);
  CHECK(r.energy_per_spin ==
        doctest::Approx(-(up.log_partition - down.log_partition) / (2 * d) / 9).epsilon(1e-8));
  CHECK(r.specific_heat ==
        doctest::Approx(-beta * beta * (up.energy_per_spin - down.energy_per_spin) / (2 * d))
            .epsilon(1e-6));
  SpinGlass plus = glass, minus = glass;
  for (auto& f : plus.couplings.fields) f += d;
  for (auto& f : minus.couplings.fields) f -= d;
  const double dm = exact_thermodynamics(model_at(plus, beta), beta).magnetization -
                    exact_thermodynamics(model_at(minus, beta), beta).magnetization;
  CHECK(r.connected_susceptibility == doctest::Approx(dm / (2 * d)).epsilon(1e-6));
}

TEST_CASE("overlap distribution: Walsh-Hadamard agrees with the O(4^n) sum for n = 8") {
  const SpinGlass glass = sk_with_fields(8, 5, 0.5);
  for (double beta : {0.3, 1.0, 3.0}) {
    const auto p = boltzmann_distribution(model_at(glass, beta));
    const auto fast = exact_overlap_distribution(p, 8);
    const auto slow = overlap_distribution_by_pairs(p, 8);
    REQUIRE(fast.size() == 9);
    double total = 0;
    for (int k = 0; k <= 8; ++k) {
      CHECK(std::abs(fast[k] - slow[k]) < 1e-14);
      total += fast[k];
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-13));
    // <q> = (1/n) sum_i <s_i>^2, from the oracle's magnetizations.
    const Eigen::VectorXd mi = exact_magnetizations(p, 8);
    CHECK(exact_overlap(p, 8).mean == doctest::Approx(power_sum(mi, 2) / 8).epsilon(1e-12));
  }
}

TEST_CASE("overlap distribution of independent spins is a convolution") {
  // Uncoupled spins with <s_i> = m_i: s_i^a s_i^b = +1 with probability (1 + m_i^2) / 2,
  // independently, so P(number of agreements) is a convolution of Bernoulli laws.
  const Eigen::VectorXd zeta = (Eigen::VectorXd(5) << 0.1, -0.7, 1.5, 0.0, 2.2).finished();
  const ReducedModel model{{0, 1, 2, 3, 4}, Eigen::MatrixXd::Zero(5, 5), zeta};
  std::vector<double> agree = {1.0};
  for (int i = 0; i < 5; ++i) {
    const double t = std::tanh(zeta[i]);
    const double a = 0.5 * (1 + t * t);
    std::vector<double> next(agree.size() + 1, 0.0);
    for (std::size_t k = 0; k < agree.size(); ++k) {
      next[k] += agree[k] * (1 - a);
      next[k + 1] += agree[k] * a;
    }
    agree = next;
  }
  const auto pq = exact_overlap_distribution(boltzmann_distribution(model), 5);
  for (int k = 0; k <= 5; ++k) CHECK(pq[k] == doctest::Approx(agree[k]).epsilon(1e-13));
  const ExactOverlap o = exact_overlap(boltzmann_distribution(model), 5);
  CHECK(o.spin_glass_susceptibility == doctest::Approx(5 * o.q2));
  CHECK(o.binder == doctest::Approx(0.5 * (3 - o.q4 / (o.q2 * o.q2))));
  CHECK_THROWS(overlap_distribution_by_pairs(std::vector<double>(1 << 15, 0.0), 15));
}

TEST_CASE("parallel tempering agrees with exact enumeration on every observable") {
  // Two instances (SK N = 10, 2D +-J EA 4x4 = 16 spins), six temperatures from beta 0.3 to 2.
  // Means come with binning errors, nonlinear observables with 32-block jackknife errors; each is
  // checked to 4 standard errors (a false alarm rate of 6e-5 per check, ~ 1% over the ~150
  // checks of this test). P(q) is checked with a chi-square test on the histogram, inflated by
  // 2 tau_int of the overlap observables.
  const std::vector<SpinGlass> glasses = {
      sherrington_kirkpatrick(10, CouplingDistribution::gaussian, 0.0, 1.0, 3),
      edwards_anderson(2, 4, CouplingDistribution::bimodal, 0.0, 1.0, 4)};
  const auto betas = geometric_ladder(0.3, 2.0, 6);
  for (const SpinGlass& glass : glasses) {
    const auto n = glass.couplings.size();
    const auto series = parallel_tempering(glass, betas, 99, 2000, 1 << 16);
    for (std::size_t k = 0; k < betas.size(); ++k) {
      const double beta = betas[k];
      const ReducedModel model = model_at(glass, beta);
      const ExactThermodynamics exact = exact_thermodynamics(model, beta);
      const ExactOverlap exact_q =
          exact_overlap(boltzmann_distribution(model), static_cast<int>(n));
      const TemperingSeries& s = series[k];
      auto check_mean = [&](const std::string& name, const std::vector<double>& x,
                            double expected) {
        const BinningAnalysis b = binning_analysis(x);
        INFO(glass.description << " beta " << beta << " " << name << ": " << b.mean << " +- "
                               << b.standard_error << " exact " << expected);
        CHECK(b.converged);
        CHECK(std::abs(b.mean - expected) < 4 * b.standard_error);
        return b.tau_int;
      };
      auto check_estimate = [&](const std::string& name, Estimate e, double expected) {
        INFO(glass.description << " beta " << beta << " " << name << ": " << e.value << " +- "
                               << e.error << " exact " << expected);
        CHECK(std::abs(e.value - expected) < 4 * e.error);
      };
      check_mean("energy", s.e, exact.energy_per_spin);
      check_mean("|m|", powers(s.m, 1), exact.abs_magnetization);
      check_mean("m^2", powers(s.m, 2), exact.m2);
      check_mean("m^4", powers(s.m, 4), exact.m4);
      check_estimate("C", specific_heat(s.e, n, beta), exact.specific_heat);
      check_estimate("chi", susceptibility(s.m, n, beta), exact.susceptibility);
      check_estimate("U", binder_cumulant(s.m), exact.binder);
      double tau = check_mean("q", s.q, exact_q.mean);
      tau = std::max(tau, check_mean("q^2", powers(s.q, 2), exact_q.q2));
      tau = std::max(tau, check_mean("q^4", powers(s.q, 4), exact_q.q4));
      check_estimate("q_EA", edwards_anderson_parameter(s.q), exact_q.abs_mean);
      check_estimate("g", overlap_binder(s.q), exact_q.binder);
      check_estimate("chi_SG", spin_glass_susceptibility(s.q, n),
                     exact_q.spin_glass_susceptibility);
      const auto fit = pooled_chi_square(s.histogram.counts(), exact_q.distribution, 2 * tau);
      INFO(glass.description << " beta " << beta << " P(q) chi2 " << fit.statistic << " dof "
                             << fit.dof);
      CHECK(fit.dof >= 3);
      CHECK(fit.p_value > 1e-4);
    }
  }
}

}  // namespace spinfer
