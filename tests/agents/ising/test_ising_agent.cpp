#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "agents/ising/ising_agent.hpp"

using namespace spinfer;

namespace {

// One agent's generative model and observation: prior precision zeta, sensory precisions
// gamma_j, and the neighbour spins s_j it sees.
struct Scene {
  double zeta = 0;
  std::vector<double> gamma;
  std::vector<int> spins;

  [[nodiscard]] double evidence() const {
    double e = 0;
    for (std::size_t j = 0; j < gamma.size(); ++j) e += gamma[j] * spins[j];
    return e;
  }
  [[nodiscard]] double log_normaliser() const {
    double sum = ising_agent::log_2cosh(zeta);
    for (double g : gamma) sum += ising_agent::log_2cosh(g);
    return sum;
  }
  // P(s, z) = P(z) prod_j P(s_j | z), every factor written out as in the model.
  [[nodiscard]] double joint(int z) const {
    double p = std::exp(zeta * z) / (2 * std::cosh(zeta));
    for (std::size_t j = 0; j < gamma.size(); ++j)
      p *= std::exp(gamma[j] * spins[j] * z) / (2 * std::cosh(gamma[j]));
    return p;
  }
  [[nodiscard]] double marginal() const { return joint(+1) + joint(-1); }
};

// Random scenes with 3 or 4 neighbours and precisions of either sign, up to 2 in size.
std::vector<Scene> random_scenes(int count, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> precision(-2.0, 2.0);
  std::vector<Scene> scenes;
  for (int k = 0; k < count; ++k) {
    Scene s;
    s.zeta = precision(gen);
    const int degree = 3 + static_cast<int>(gen() % 2);
    for (int j = 0; j < degree; ++j) {
      s.gamma.push_back(precision(gen));
      s.spins.push_back(gen() % 2 ? 1 : -1);
    }
    scenes.push_back(s);
  }
  return scenes;
}

}  // namespace

TEST_CASE("posterior_up is Bayes' rule over z in {-1, +1}") {
  for (const Scene& s : random_scenes(200, 1)) {
    const double exact = s.joint(+1) / s.marginal();
    CHECK(std::abs(ising_agent::posterior_up(s.zeta, s.evidence()) - exact) < 1e-12);
  }
}

TEST_CASE("free energy is the surprise -ln P(s) and E_q[ln q(z) - ln P(s, z)]") {
  for (const Scene& s : random_scenes(200, 2)) {
    const double f = ising_agent::free_energy(s.zeta, s.evidence(), s.log_normaliser());
    CHECK(std::abs(f - -std::log(s.marginal())) < 1e-12);

    const double q_up = ising_agent::posterior_up(s.zeta, s.evidence());
    double variational = 0;
    for (int z : {+1, -1}) {
      const double q = z > 0 ? q_up : 1 - q_up;
      variational += q * (std::log(q) - std::log(s.joint(z)));
    }
    CHECK(std::abs(f - variational) < 1e-12);
  }
}

TEST_CASE("log_2cosh is exact near zero and does not overflow at large |x|") {
  CHECK(ising_agent::log_2cosh(0.0) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(ising_agent::log_2cosh(1.3) == doctest::Approx(std::log(2 * std::cosh(1.3))));
  for (double x : {800.0, -800.0}) {
    CAPTURE(x);
    const double value = ising_agent::log_2cosh(x);
    CHECK(std::isfinite(value));
    CHECK(value == doctest::Approx(800.0).epsilon(1e-15));  // log(2 cosh x) = |x| + O(e^-1600)
  }
}

TEST_CASE("up_threshold maps probabilities onto [0, 2^32]") {
  CHECK(ising_agent::up_threshold(0.0) == 0);
  CHECK(ising_agent::up_threshold(1.0) == (std::uint64_t{1} << 32));
  CHECK(ising_agent::up_threshold(0.5) == (std::uint64_t{1} << 31));
  // Probability 1 acts up for every 32-bit uniform, probability 0 for none.
  CHECK(ising_agent::act(ActionRule::sample_posterior, 1000.0, 0.0, 0xffffffffu) == 1);
  CHECK(ising_agent::act(ActionRule::sample_posterior, -1000.0, 0.0, 0u) == -1);
}

TEST_CASE("posterior_mode acts with the sign of zeta + evidence, a fair coin on ties") {
  const std::array<std::uint32_t, 4> uniforms = {0u, 0x7fffffffu, 0x80000000u, 0xffffffffu};
  for (std::uint32_t u : uniforms) {
    CAPTURE(u);
    CHECK(ising_agent::act(ActionRule::posterior_mode, 0.3, 0.2, u) == 1);
    CHECK(ising_agent::act(ActionRule::posterior_mode, 0.3, -0.5, u) == -1);
    CHECK(ising_agent::act(ActionRule::posterior_mode, -1e-300, 0.0, u) == -1);
    // Exact tie: the high bit of the uniform decides, so half of all uniforms act up.
    const int expected = u >= 0x80000000u ? 1 : -1;
    CHECK(ising_agent::act(ActionRule::posterior_mode, 0.5, -0.5, u) == expected);
    CHECK(ising_agent::act(ActionRule::posterior_mode, 0.0, 0.0, u) == expected);
  }
}

TEST_CASE("sample_posterior acts up for a fraction p of the uniforms") {
  // Over the 2^16 uniforms u = k << 16, the count acting up is ceil(T / 2^16) with
  // T = round(p 2^32), so the fraction lies within 2^-16 (grid step) + 2^-33 (rounding of T)
  // of p. The tolerance below is 2^-16 + 2^-32.
  const double tolerance = 0x1p-16 + 0x1p-32;
  for (const Scene& s : random_scenes(50, 3)) {
    const double p = ising_agent::posterior_up(s.zeta, s.evidence());
    int up = 0;
    for (std::uint32_t k = 0; k < (1u << 16); ++k)
      up += ising_agent::act(ActionRule::sample_posterior, s.zeta, s.evidence(), k << 16) == 1;
    CAPTURE(p);
    CHECK(std::abs(up * 0x1p-16 - p) <= tolerance);
  }
}

TEST_CASE("policy precision 1 is probability matching bit for bit") {
  for (const Scene& s : random_scenes(500, 4)) {
    const double e = s.evidence();
    const double old_p = ising_agent::posterior_up(s.zeta, e);
    CHECK(ising_agent::action_up(1.0, s.zeta, e) == old_p);
    // The old act(): the threshold of posterior_up, on both sides of it and at random.
    const std::uint64_t t = ising_agent::up_threshold(old_p);
    for (std::uint64_t u64 : {t == 0 ? 0 : t - 1, std::min<std::uint64_t>(t, 0xffffffffu),
                              std::uint64_t{0x9e3779b9u}}) {
      const auto u = static_cast<std::uint32_t>(u64);
      const std::int8_t old_action = u < t ? 1 : -1;
      CHECK(ising_agent::act(ActionRule::sample_posterior, 1.0, s.zeta, e, u) == old_action);
      CHECK(ising_agent::act(ActionRule::sample_posterior, s.zeta, e, u) == old_action);
    }
  }
}

TEST_CASE("policy precision alpha acts up with probability q^alpha / (q^alpha + (1-q)^alpha)") {
  for (double alpha : {0.0, 0.5, 2.0, 3.7}) {
    CAPTURE(alpha);
    for (const Scene& s : random_scenes(100, 5)) {
      const double q = ising_agent::posterior_up(s.zeta, s.evidence());
      const double expected = std::pow(q, alpha) / (std::pow(q, alpha) + std::pow(1 - q, alpha));
      // Both sides are a few correctly rounded operations on O(1) numbers.
      CHECK(ising_agent::action_up(alpha, s.zeta, s.evidence()) ==
            doctest::Approx(expected).epsilon(1e-12));
    }
  }
  CHECK(ising_agent::action_up(0.0, 5.0, 3.0) == 0.5);  // alpha = 0: a fair coin
}

TEST_CASE("a large policy precision acts on the posterior mode") {
  // |zeta + e| >= 1e-3 and alpha = 1e7 put the logistic's argument beyond 2e4, where it is 0 or 1
  // exactly in double precision; exact ties are left to posterior_mode's coin.
  int compared = 0;
  for (const Scene& s : random_scenes(300, 6)) {
    if (std::abs(s.zeta + s.evidence()) < 1e-3) continue;
    ++compared;
    for (std::uint32_t u : {0u, 0x80000000u, 0xffffffffu})
      CHECK(ising_agent::act(ActionRule::sample_posterior, 1e7, s.zeta, s.evidence(), u) ==
            ising_agent::act(ActionRule::posterior_mode, s.zeta, s.evidence(), u));
  }
  CHECK(compared > 250);
}

TEST_CASE("log_action_probability is the log of the action probabilities, tails included") {
  for (double alpha : {1.0, 0.3, 2.5}) {
    CAPTURE(alpha);
    for (const Scene& s : random_scenes(100, 7)) {
      const double e = s.evidence();
      const double p_up = ising_agent::action_up(alpha, s.zeta, e);
      const double log_up =
          ising_agent::log_action_probability(ActionRule::sample_posterior, alpha, s.zeta, e, 1);
      const double log_down =
          ising_agent::log_action_probability(ActionRule::sample_posterior, alpha, s.zeta, e, -1);
      CHECK(std::exp(log_up) == doctest::Approx(p_up).epsilon(1e-13));
      CHECK(std::exp(log_up) + std::exp(log_down) == doctest::Approx(1.0).epsilon(1e-15));
      // log(p / (1 - p)) is the log-odds alpha * 2 (zeta + e) exactly, up to rounding.
      CHECK(log_up - log_down ==
            doctest::Approx(alpha * 2 * (s.zeta + e)).epsilon(1e-12).scale(1.0));
    }
  }
  // Far tail: 1 - p_up rounds to 0, the log-logistic keeps log P(down) = -40 - log(1 + e^-40).
  CHECK(ising_agent::log_action_probability(ActionRule::sample_posterior, 1.0, 20.0, 0.0, -1) ==
        doctest::Approx(-40.0).epsilon(1e-15));
  CHECK(ising_agent::log_action_probability(ActionRule::sample_posterior, 1.0, 400.0, 0.0, 1) ==
        0.0);

  const double minus_inf = -std::numeric_limits<double>::infinity();
  CHECK(ising_agent::log_action_probability(ActionRule::posterior_mode, 9.0, 0.3, 0.2, 1) == 0.0);
  CHECK(ising_agent::log_action_probability(ActionRule::posterior_mode, 9.0, 0.3, 0.2, -1) ==
        minus_inf);
  CHECK(ising_agent::log_action_probability(ActionRule::posterior_mode, 1.0, 0.5, -0.5, -1) ==
        doctest::Approx(std::log(0.5)));
}
