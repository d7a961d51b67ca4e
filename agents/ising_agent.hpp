#pragma once
// The active-inference agent of Heins et al. (2022). Agent i believes a binary hidden cause z_i
// explains its neighbours' spins: P(s_j | z_i) ~ exp(gamma_ij s_j z_i) (sensory precision),
// P(z_i) ~ exp(zeta_i z_i) (prior precision). Given the evidence e_i = sum_j gamma_ij s_j its exact
// posterior is q(z_i = +1) = logistic(2 (zeta_i + e_i)); it acts by setting its spin to a sample
// of that posterior (or to its mode). Sampling one agent at a time is heat-bath (Glauber)
// dynamics of the spin glass beta J = gamma, beta h = zeta.
#include <cmath>
#include <cstdint>

namespace spinfer {

enum class ActionRule {
  sample_posterior,  // probability matching: the Glauber/heat-bath equivalence
  posterior_mode,    // zero-temperature variant; ties broken by a fair coin
};

namespace ising_agent {

// log(2 cosh x) without overflow.
inline double log_2cosh(double x) {
  const double a = std::fabs(x);
  return a + std::log1p(std::exp(-2.0 * a));
}

inline double posterior_log_odds(double zeta, double evidence) {
  return 2.0 * (zeta + evidence);
}

inline double posterior_up(double zeta, double evidence) {
  return 1.0 / (1.0 + std::exp(-posterior_log_odds(zeta, evidence)));
}

// The agent's normaliser: log 2cosh(zeta_i) + sum_j log 2cosh(gamma_ij). Constant per agent.
// Variational free energy at the exact posterior, which equals the surprise -ln P(s_neighbours):
//   F_i = log_normaliser_i - log 2cosh(zeta_i + e_i).
inline double free_energy(double zeta, double evidence, double log_normaliser) {
  return log_normaliser - log_2cosh(zeta + evidence);
}

// A 32-bit uniform u acts "up" when u < threshold; threshold = round(p * 2^32) in [0, 2^32].
inline std::uint64_t up_threshold(double p_up) {
  return static_cast<std::uint64_t>(std::llround(p_up * 4294967296.0));
}

inline std::int8_t act(ActionRule rule, double zeta, double evidence, std::uint32_t uniform) {
  if (rule == ActionRule::posterior_mode) {
    const double x = zeta + evidence;
    if (x != 0.0) return x > 0.0 ? 1 : -1;
    return (uniform >> 31) ? 1 : -1;
  }
  return uniform < up_threshold(posterior_up(zeta, evidence)) ? 1 : -1;
}

}  // namespace ising_agent
}  // namespace spinfer
