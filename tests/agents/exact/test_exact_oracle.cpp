#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/exact/exact_oracle.hpp"

namespace spinfer {
namespace {

// Dense CSR graph from a matrix (zero entries are absent edges); built by hand so these tests do
// not depend on weighted_graph.cpp. The matrix need not be symmetric.
WeightedGraph dense_graph(const Eigen::MatrixXd& gamma, const Eigen::VectorXd& zeta) {
  WeightedGraph g;
  for (int i = 0; i < gamma.rows(); ++i) {
    for (int j = 0; j < gamma.cols(); ++j) {
      if (i != j && gamma(i, j) != 0) {
        g.columns.push_back(j);
        g.weights.push_back(gamma(i, j));
      }
    }
    g.row_offsets.push_back(static_cast<std::int64_t>(g.columns.size()));
    g.fields.push_back(zeta[i]);
  }
  return g;
}

ReducedModel model_of(const Eigen::MatrixXd& gamma, const Eigen::VectorXd& zeta) {
  return reduce_clamped(dense_graph(gamma, zeta), {});
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Random couplings; symmetric unless asked otherwise. `density` is the fraction of pairs coupled.
Eigen::MatrixXd random_couplings(int n, double scale, bool symmetric, double density,
                                 std::mt19937_64& rng) {
  Eigen::MatrixXd gamma = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (uniform(rng, 0, 1) >= density) continue;
      gamma(i, j) = uniform(rng, -scale, scale);
      gamma(j, i) = symmetric ? gamma(i, j) : uniform(rng, -scale, scale);
    }
  }
  return gamma;
}

Eigen::VectorXd random_fields(int n, double scale, std::mt19937_64& rng) {
  Eigen::VectorXd zeta(n);
  for (int i = 0; i < n; ++i) zeta[i] = uniform(rng, -scale, scale);
  return zeta;
}

Eigen::VectorXd spins_of(std::uint64_t index, int n) {
  Eigen::VectorXd s(n);
  for (int k = 0; k < n; ++k) s[k] = ((index >> k) & 1u) ? 1.0 : -1.0;
  return s;
}

// Log-weights straight from the header's formulas, O(n^2) per state.
double naive_boltzmann_log_weight(const ReducedModel& m, const Eigen::VectorXd& s) {
  double sum = m.zeta.dot(s);
  for (int i = 0; i < s.size(); ++i) {
    for (int j = i + 1; j < s.size(); ++j) sum += m.gamma(i, j) * s[i] * s[j];
  }
  return sum;
}

double naive_little_log_weight(const ReducedModel& m, const Eigen::VectorXd& s) {
  double sum = m.zeta.dot(s);
  for (int i = 0; i < s.size(); ++i) {
    double h = m.zeta[i];
    for (int j = 0; j < s.size(); ++j) h += m.gamma(i, j) * s[j];
    sum += std::log(2.0 * std::cosh(h));
  }
  return sum;
}

template <class LogWeight>
std::vector<double> naive_distribution(const ReducedModel& m, LogWeight log_weight) {
  const int n = static_cast<int>(m.zeta.size());
  std::vector<double> p(std::size_t{1} << n);
  double total = 0;
  for (std::size_t index = 0; index < p.size(); ++index) {
    p[index] = std::exp(log_weight(m, spins_of(index, n)));
    total += p[index];
  }
  for (double& x : p) x /= total;
  return p;
}

double sum_of(const std::vector<double>& p) {
  double total = 0;
  for (double x : p) total += x;
  return total;
}

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

}  // namespace

TEST_CASE("two spins: Boltzmann and Little against closed forms") {
  const double g = 0.7, z1 = 0.3, z2 = -1.1;
  Eigen::MatrixXd gamma(2, 2);
  gamma << 0, g, g, 0;
  const ReducedModel m = model_of(gamma, Eigen::Vector2d(z1, z2));
  const auto boltzmann = boltzmann_distribution(m);
  const auto little = little_distribution(m);
  REQUIRE(boltzmann.size() == 4);
  REQUIRE(little.size() == 4);

  double zb = 0, zl = 0;
  std::vector<double> wb(4), wl(4);
  for (int index = 0; index < 4; ++index) {
    const double s1 = (index & 1) ? 1 : -1;  // bit 0 is agent 0
    const double s2 = (index & 2) ? 1 : -1;
    wb[index] = std::exp(g * s1 * s2 + z1 * s1 + z2 * s2);
    wl[index] =
        std::exp(z1 * s1 + z2 * s2) * 2 * std::cosh(z1 + g * s2) * 2 * std::cosh(z2 + g * s1);
    zb += wb[index];
    zl += wl[index];
  }
  for (int index = 0; index < 4; ++index) {
    CHECK(boltzmann[index] == doctest::Approx(wb[index] / zb).epsilon(1e-13));
    CHECK(little[index] == doctest::Approx(wl[index] / zl).epsilon(1e-13));
  }
  // With a field the two laws differ; a mix-up of the two would not go unnoticed.
  CHECK(std::abs(boltzmann[0] - little[0]) > 1e-3);
}

TEST_CASE("frustrated triangle: Little and Boltzmann by hand") {
  // Antiferromagnetic triangle: no state satisfies all three bonds.
  const double g = -1.3;
  const double z[3] = {0.2, -0.5, 0.9};
  Eigen::MatrixXd gamma(3, 3);
  gamma << 0, g, g, g, 0, g, g, g, 0;
  const ReducedModel m = model_of(gamma, Eigen::Vector3d(z[0], z[1], z[2]));
  const auto boltzmann = boltzmann_distribution(m);
  const auto little = little_distribution(m);

  std::vector<double> wb(8), wl(8);
  double zb = 0, zl = 0;
  for (int index = 0; index < 8; ++index) {
    const double a = (index & 1) ? 1 : -1, b = (index & 2) ? 1 : -1, c = (index & 4) ? 1 : -1;
    const double field = z[0] * a + z[1] * b + z[2] * c;
    wb[index] = std::exp(g * (a * b + a * c + b * c) + field);
    wl[index] = std::exp(field) * 2 * std::cosh(z[0] + g * (b + c)) * 2 *
                std::cosh(z[1] + g * (a + c)) * 2 * std::cosh(z[2] + g * (a + b));
    zb += wb[index];
    zl += wl[index];
  }
  for (int index = 0; index < 8; ++index) {
    CHECK(boltzmann[index] == doctest::Approx(wb[index] / zb).epsilon(1e-13));
    CHECK(little[index] == doctest::Approx(wl[index] / zl).epsilon(1e-13));
  }
}

TEST_CASE("Gray-code enumeration equals naive enumeration, n = 10") {
  std::mt19937_64 rng(20240611);
  const int n = 10;
  for (const bool symmetric : {true, false}) {
    CAPTURE(symmetric);
    // Asymmetric couplings check the documented convention: Boltzmann reads gamma(i, j), i < j.
    const ReducedModel m =
        model_of(random_couplings(n, 0.8, symmetric, 0.6, rng), random_fields(n, 0.5, rng));
    const auto boltzmann = boltzmann_distribution(m);
    const auto little = little_distribution(m);
    CHECK(sum_of(boltzmann) == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(sum_of(little) == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(max_abs_difference(boltzmann, naive_distribution(m, naive_boltzmann_log_weight)) < 1e-12);
    CHECK(max_abs_difference(little, naive_distribution(m, naive_little_log_weight)) < 1e-12);
  }
}

TEST_CASE("large precisions neither overflow nor lose the ground state") {
  // gamma = 800 ferromagnetic pair, small field favouring +1: exp(800) overflows a double.
  Eigen::MatrixXd gamma(2, 2);
  gamma << 0, 800, 800, 0;
  const ReducedModel m = model_of(gamma, Eigen::Vector2d(1.0, 1.0));
  const auto boltzmann = boltzmann_distribution(m);
  const auto little = little_distribution(m);
  for (const auto* p : {&boltzmann, &little}) {
    for (double x : *p) CHECK(std::isfinite(x));
    CHECK(sum_of(*p) == doctest::Approx(1.0));
  }
  // Boltzmann: (+,+) / (-,-) = e^4, a mixed state costs e^-1600 and underflows to 0.
  CHECK(boltzmann[3] / boltzmann[0] == doctest::Approx(std::exp(4.0)));
  CHECK(boltzmann[1] == 0.0);
  // Little: (+,+) / (-,-) = e^4 cosh(801)^2 / cosh(799)^2 = e^8, while a mixed state, which
  // synchronous updates flip into the other mixed state, is only e^-4 below (+,+).
  CHECK(little[3] / little[0] == doctest::Approx(std::exp(8.0)));
  CHECK(little[1] / little[3] == doctest::Approx(std::exp(-4.0)));
}

TEST_CASE("clamping gives the conditional of the full Boltzmann distribution") {
  std::mt19937_64 rng(7);
  const int n = 6;
  const WeightedGraph graph =
      dense_graph(random_couplings(n, 1.0, true, 0.8, rng), random_fields(n, 0.7, rng));
  const auto full = boltzmann_distribution(reduce_clamped(graph, {}));

  const std::vector<ClampedAgent> clamped = {{4, -1}, {1, +1}};  // order must not matter
  const ReducedModel reduced = reduce_clamped(graph, clamped);
  REQUIRE(reduced.free_agents == std::vector<AgentId>{0, 2, 3, 5});
  for (int k = 0; k < 4; ++k) CHECK(reduced.gamma(k, k) == 0.0);
  const auto conditional = boltzmann_distribution(reduced);
  REQUIRE(conditional.size() == 16);

  // Marginalise by hand: keep full states with s_1 = +1 and s_4 = -1, map free bits back.
  std::vector<double> expected(16, 0.0);
  double total = 0;
  for (std::uint64_t index = 0; index < full.size(); ++index) {
    if (!((index >> 1) & 1u) || ((index >> 4) & 1u)) continue;
    std::uint64_t free_index = 0;
    for (int k = 0; k < 4; ++k) {
      free_index |= ((index >> reduced.free_agents[k]) & 1u) << k;
    }
    expected[free_index] += full[index];
    total += full[index];
  }
  for (double& x : expected) x /= total;
  CHECK(max_abs_difference(conditional, expected) < 1e-13);
}

TEST_CASE("reduce_clamped rejects bad clamps and populations too large to enumerate") {
  const WeightedGraph graph = dense_graph(Eigen::MatrixXd::Zero(3, 3), Eigen::Vector3d::Zero());
  const auto message = [&](const std::vector<ClampedAgent>& clamped) -> std::string {
    try {
      (void)reduce_clamped(graph, clamped);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message({{3, 1}}).find("clamped = 3") == 0);
  CHECK(message({{-1, 1}}).find("clamped = -1") == 0);
  CHECK(message({{1, 1}, {1, -1}}).find("clamped = 1") == 0);
  CHECK(message({{2, 0}}).find("clamped = 2") == 0);
  CHECK(message({{0, 1}, {2, -1}}).empty());

  const int big = kMaxEnumeratedAgents + 1;
  const WeightedGraph large =
      dense_graph(Eigen::MatrixXd::Zero(big, big), Eigen::VectorXd::Zero(big));
  CHECK_THROWS_AS((void)reduce_clamped(large, {}), Error);
  CHECK(reduce_clamped(large, {{0, 1}}).free_agents.size() == kMaxEnumeratedAgents);
}

TEST_CASE("exact moments") {
  SUBCASE("single spin in a field has magnetisation tanh(z)") {
    for (const double z : {-2.0, -0.3, 0.0, 0.45, 3.0}) {
      const ReducedModel m = model_of(Eigen::MatrixXd::Zero(1, 1), Eigen::VectorXd::Constant(1, z));
      CHECK(exact_magnetizations(boltzmann_distribution(m), 1)[0] ==
            doctest::Approx(std::tanh(z)).epsilon(1e-14));
    }
  }
  SUBCASE("a free pair has <s1 s2> = tanh(g) and zero magnetisation") {
    const double g = 0.6;
    Eigen::MatrixXd gamma(2, 2);
    gamma << 0, g, g, 0;
    const auto p = boltzmann_distribution(model_of(gamma, Eigen::Vector2d::Zero()));
    const Eigen::MatrixXd c = exact_correlations(p, 2);
    CHECK(c(0, 0) == doctest::Approx(1.0));
    CHECK(c(0, 1) == doctest::Approx(std::tanh(g)).epsilon(1e-14));
    CHECK(c(1, 0) == c(0, 1));
    CHECK(exact_magnetizations(p, 2).norm() < 1e-15);
  }
  SUBCASE("moments agree with direct sums over states") {
    std::mt19937_64 rng(3);
    const int n = 5;
    const auto p = little_distribution(
        model_of(random_couplings(n, 1.0, true, 1.0, rng), random_fields(n, 1.0, rng)));
    Eigen::VectorXd m = Eigen::VectorXd::Zero(n);
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(n, n);
    for (std::uint64_t index = 0; index < p.size(); ++index) {
      const Eigen::VectorXd s = spins_of(index, n);
      m += p[index] * s;
      c += p[index] * s * s.transpose();
    }
    CHECK((exact_magnetizations(p, n) - m).norm() < 1e-14);
    CHECK((exact_correlations(p, n) - c).norm() < 1e-14);
  }
}

TEST_CASE("n = 20 enumeration is fast and matches direct log-weights") {
  std::mt19937_64 rng(99);
  const int n = 20;
  // Sparse random graph (about 4 neighbours per agent), precisions of order 1.
  const ReducedModel m =
      model_of(random_couplings(n, 1.5, true, 4.0 / (n - 1), rng), random_fields(n, 0.5, rng));
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto boltzmann = boltzmann_distribution(m);
  const auto t1 = Clock::now();
  const auto little = little_distribution(m);
  const auto t2 = Clock::now();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  MESSAGE("n = 20: Boltzmann " << ms(t1 - t0) << " ms, Little " << ms(t2 - t1) << " ms");
  CHECK(ms(t1 - t0) < 5000);  // generous: O(2^n n^2) would still pass this on a fast machine,
  CHECK(ms(t2 - t1) < 5000);  // the timing is reported above for a human to judge

  CHECK(sum_of(boltzmann) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(sum_of(little) == doctest::Approx(1.0).epsilon(1e-12));
  // Probability ratios against state 0 follow from the formulas directly, for states spread
  // over the whole walk (late states are where incremental drift would show).
  const Eigen::VectorXd s0 = spins_of(0, n);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t index = rng() & ((std::uint64_t{1} << n) - 1);
    const Eigen::VectorXd s = spins_of(index, n);
    CAPTURE(index);
    const double rb = naive_boltzmann_log_weight(m, s) - naive_boltzmann_log_weight(m, s0);
    const double rl = naive_little_log_weight(m, s) - naive_little_log_weight(m, s0);
    CHECK(std::log(boltzmann[index] / boltzmann[0]) == doctest::Approx(rb).epsilon(1e-9));
    CHECK(std::log(little[index] / little[0]) == doctest::Approx(rl).epsilon(1e-9));
  }
}

TEST_CASE("reduce_clamped keeps gamma asymmetric: row i's evidence uses gamma_ij") {
  Eigen::MatrixXd gamma(3, 3);
  gamma << 0, 0.5, 1.5, -0.25, 0, 0.75, 2.0, -3.0, 0;
  const WeightedGraph graph = dense_graph(gamma, Eigen::Vector3d(0.1, 0.2, 0.3));
  const ReducedModel all = reduce_clamped(graph, {});
  CHECK(all.gamma == gamma);
  // Clamping agent 2 to -1 adds gamma_i2 * (-1) to agent i's prior, not gamma_2i.
  const ReducedModel two_free = reduce_clamped(graph, {{2, -1}});
  CHECK(two_free.gamma == gamma.topLeftCorner(2, 2));
  CHECK(two_free.zeta[0] == doctest::Approx(0.1 - 1.5));
  CHECK(two_free.zeta[1] == doctest::Approx(0.2 - 0.75));
}

}  // namespace spinfer
