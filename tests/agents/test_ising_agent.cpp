#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "agents/ising_agent.hpp"

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
