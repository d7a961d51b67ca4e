#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <vector>

#include "agents/exact/exact_observables.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/meanfield/mean_field.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::error_message;

// Curie-Weiss: every pair coupled with J / (N - 1), so sum_j J_ij = J exactly; uniform field h.
WeightedGraph curie_weiss(AgentId n, double j, double h) {
  std::vector<UndirectedEdge> edges;
  for (AgentId a = 0; a < n; ++a) {
    for (AgentId b = a + 1; b < n; ++b) edges.push_back({a, b, j / static_cast<double>(n - 1)});
  }
  return symmetric_graph(n, edges, std::vector<double>(n, h));
}

// Root of f on [lo, hi] (f(lo), f(hi) of opposite signs) by bisection to machine precision.
double bisect(const std::function<double(double)>& f, double lo, double hi) {
  const bool rising = f(hi) > 0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    ((f(mid) > 0) == rising ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

// Plain loops instead of Eigen reductions, which trip a false -Wmaybe-uninitialized in GCC 12's
// AVX-512 headers.
double largest_deviation(const Eigen::VectorXd& m, double value) {
  double largest = 0;
  for (double x : m) largest = std::max(largest, std::abs(x - value));
  return largest;
}

double distance(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  double sum = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

ReducedModel model_at(const SpinGlass& glass, double beta) {
  return reduce_clamped(agents_from_spin_glass(glass, beta).precisions, {});
}

}  // namespace

TEST_CASE("Curie-Weiss: naive mean field solves m = tanh(beta (J m + h))") {
  constexpr AgentId kN = 50;
  struct Case {
    double beta, j, h, start;
  };
  for (const Case c :
       {Case{2.0, 1.0, 0.0, 0.5}, Case{0.5, 1.0, 0.1, 0.0}, Case{1.5, 1.0, -0.05, -0.3}}) {
    const double expected =
        bisect([&](double m) { return m - std::tanh(c.beta * (c.j * m + c.h)); },
               c.start >= 0 ? 1e-9 : -1, c.start >= 0 ? 1.0 : -1e-9);
    MeanFieldOptions options;
    options.initial = Eigen::VectorXd::Constant(kN, c.start);
    if (c.start == 0) options.initial.resize(0);  // the default start tanh(beta h)
    const auto r =
        solve_mean_field(curie_weiss(kN, c.j, c.h), c.beta, MeanFieldKind::naive, options);
    INFO("beta " << c.beta << " h " << c.h << " expected m " << expected);
    CHECK(r.converged);
    CHECK(r.residual < options.tolerance);
    CHECK(largest_deviation(r.m, expected) < 1e-10);
  }
}

TEST_CASE("Curie-Weiss: TAP adds the Onsager reaction beta^2 m J^2 (1 - m^2) / (N - 1)") {
  constexpr AgentId kN = 20;
  const double beta = 1.5, j = 1.0, h = 0.02;
  const double reaction = beta * beta * j * j / (kN - 1);
  const double expected = bisect(
      [&](double m) { return m - std::tanh(beta * (j * m + h) - reaction * m * (1 - m * m)); },
      1e-9, 1.0);
  MeanFieldOptions options;
  options.initial = Eigen::VectorXd::Constant(kN, 0.5);
  const auto r = solve_mean_field(curie_weiss(kN, j, h), beta, MeanFieldKind::tap, options);
  CHECK(r.converged);
  CHECK(largest_deviation(r.m, expected) < 1e-10);
  const auto naive = solve_mean_field(curie_weiss(kN, j, h), beta, MeanFieldKind::naive, options);
  CHECK(naive.m[0] > r.m[0]);  // the reaction term weakens the self-consistent field
}

TEST_CASE("SK at high temperature: paramagnetic without a field") {
  const SpinGlass glass = sherrington_kirkpatrick(12, CouplingDistribution::gaussian, 0, 1, 2);
  for (auto kind : {MeanFieldKind::naive, MeanFieldKind::tap}) {
    MeanFieldOptions options;
    options.initial = Eigen::VectorXd::Constant(12, 0.3);
    const auto r = solve_mean_field(glass.couplings, 0.3, kind, options);
    CHECK(r.converged);
    CHECK(largest_deviation(r.m, 0.0) < 1e-11);
  }
  // At m = 0 the TAP free energy is the high-temperature expansion to second order:
  // -beta F / N = ln 2 + (beta^2 / 2N) sum_{i<j} J_ij^2.
  double sum_j2 = 0;
  const auto& g = glass.couplings;
  for (double w : g.weights) sum_j2 += 0.5 * w * w;
  const auto tap = solve_mean_field(g, 0.3, MeanFieldKind::tap);
  CHECK(tap.reduced_free_energy ==
        doctest::Approx(-(std::numbers::ln2 + 0.09 / 2 * sum_j2 / 12)).epsilon(1e-14));
  CHECK(tap.free_energy_per_spin == doctest::Approx(tap.reduced_free_energy / 0.3).epsilon(1e-14));
}

TEST_CASE("SK with a small field: TAP is closer to exact enumeration than naive mean field") {
  // N = 12, beta = 0.3: the Onsager term is the leading correction (order beta^2) that naive mean
  // field misses, for both the magnetizations and the free energy. Several disorder samples; TAP
  // is typically ten times closer, the check asks for three.
  constexpr AgentId kN = 12;
  constexpr double kBeta = 0.3;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SpinGlass glass = sherrington_kirkpatrick(kN, CouplingDistribution::gaussian, 0, 1, seed);
    add_fields(glass, 0.2, 0.3, seed);
    const ReducedModel model = model_at(glass, kBeta);
    const auto exact_m = exact_magnetizations(boltzmann_distribution(model), kN);
    const double exact_f = -exact_thermodynamics(model, kBeta).log_partition / kN;
    const auto naive = solve_mean_field(glass.couplings, kBeta, MeanFieldKind::naive);
    const auto tap = solve_mean_field(glass.couplings, kBeta, MeanFieldKind::tap);
    REQUIRE(naive.converged);
    REQUIRE(tap.converged);
    const double naive_m_error = distance(naive.m, exact_m);
    const double tap_m_error = distance(tap.m, exact_m);
    const double naive_f_error = std::abs(naive.reduced_free_energy - exact_f);
    const double tap_f_error = std::abs(tap.reduced_free_energy - exact_f);
    INFO("seed " << seed << " |m - exact|: naive " << naive_m_error << " TAP " << tap_m_error
                 << "; |beta F/N - exact|: naive " << naive_f_error << " TAP " << tap_f_error);
    CHECK(3 * tap_m_error < naive_m_error);
    CHECK(3 * tap_f_error < naive_f_error);
  }
}

TEST_CASE("mean field: running out of iterations is reported, not thrown") {
  // Two antiferromagnetically coupled spins started alike: the undamped parallel map flips both
  // signs every step (a 2-cycle), so it never converges; damping 0.8 contracts to m = 0.
  const WeightedGraph pair = symmetric_graph(2, {{0, 1, -3.0}}, {0.0, 0.0});
  MeanFieldOptions options;
  options.damping = 0;
  options.max_iterations = 200;
  options.initial = Eigen::VectorXd::Constant(2, 0.5);
  const auto stuck = solve_mean_field(pair, 1.0, MeanFieldKind::naive, options);
  CHECK(!stuck.converged);
  CHECK(stuck.iterations == 200);
  CHECK(stuck.residual > 1.0);
  options.damping = 0.8;
  const auto damped = solve_mean_field(pair, 1.0, MeanFieldKind::naive, options);
  CHECK(damped.converged);
  CHECK(damped.iterations < 200);
  CHECK(largest_deviation(damped.m, 0.0) < 1e-11);

  options.max_iterations = 1;
  const auto one = solve_mean_field(pair, 1.0, MeanFieldKind::tap, options);
  CHECK(!one.converged);
  CHECK(one.iterations == 1);
}

TEST_CASE("mean field rejects bad options") {
  const WeightedGraph g = curie_weiss(3, 1.0, 0.0);
  auto run = [&](auto change, double beta = 1.0) {
    MeanFieldOptions o;
    change(o);
    return error_message([&] { solve_mean_field(g, beta, MeanFieldKind::naive, o); });
  };
  CHECK(run([](auto& o) { o.damping = 1.0; }) == "mean_field.damping = 1: must be in [0, 1)");
  CHECK(run([](auto& o) { o.max_iterations = 0; }) ==
        "mean_field.max_iterations = 0: must be >= 1");
  CHECK(run([](auto& o) { o.tolerance = 0; }) == "mean_field.tolerance = 0: must be > 0");
  CHECK(run([](auto& o) { o.initial = Eigen::VectorXd::Zero(2); }) ==
        "mean_field.initial = 2: needs one entry per agent (3)");
  CHECK(run([](auto& o) { o.initial = Eigen::VectorXd::Ones(3); }) ==
        "mean_field.initial = 1: entries must be in (-1, 1)");
  CHECK(run([](auto&) {}, -1.0) == "beta = -1: must be finite and > 0");
}

}  // namespace spinfer
