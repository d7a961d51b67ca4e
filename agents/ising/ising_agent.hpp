#pragma once
// The active-inference agent of Heins et al. (2022). Agent i believes a binary hidden cause z_i
// explains its neighbours' spins: P(s_j | z_i) ~ exp(gamma_ij s_j z_i) (sensory precision),
// P(z_i) ~ exp(zeta_i z_i) (prior precision). Given the evidence e_i = sum_j gamma_ij s_j its exact
// posterior is q(z_i = +1) = logistic(2 (zeta_i + e_i)); it acts by setting its spin to a sample
// of that posterior (or to its mode). Sampling one agent at a time is heat-bath (Glauber)
// dynamics of the spin glass beta J = gamma, beta h = zeta.
//
// A policy precision alpha sharpens or flattens the action distribution: the agent acts +1 with
// probability q^alpha / (q^alpha + (1 - q)^alpha) = logistic(2 alpha (zeta_i + e_i)), q its
// posterior. alpha = 1 is probability matching, alpha -> infinity the posterior mode, alpha = 0 a
// fair coin. Sequential updates with policy precision alpha sample Boltzmann at alpha * gamma.
#include <cmath>
#include <cstdint>
#include <limits>

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

// Probability of acting +1 under policy precision alpha. For alpha = 1 this is posterior_up bit
// for bit: multiplying by 1.0 is exact in IEEE arithmetic, and the rest of the expression is the
// same, so existing trajectories do not change.
inline double action_up(double alpha, double zeta, double evidence) {
  return 1.0 / (1.0 + std::exp(-(alpha * posterior_log_odds(zeta, evidence))));
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

// posterior_mode ignores alpha: it is already the alpha -> infinity limit.
inline std::int8_t act(ActionRule rule, double alpha, double zeta, double evidence,
                       std::uint32_t uniform) {
  if (rule == ActionRule::posterior_mode) {
    const double x = zeta + evidence;
    if (x != 0.0) return x > 0.0 ? 1 : -1;
    return (uniform >> 31) ? 1 : -1;
  }
  return uniform < up_threshold(action_up(alpha, zeta, evidence)) ? 1 : -1;
}

inline std::int8_t act(ActionRule rule, double zeta, double evidence, std::uint32_t uniform) {
  return act(rule, 1.0, zeta, evidence, uniform);
}

// log P(act s | zeta, evidence) for s = +-1: what the exact kernel and the entropy production
// along a trajectory are built from. Computed as a log-logistic, so both tails keep full
// relative precision (1 - action_up would round the unlikely action to 0). This is the ideal
// probability; act() realises it to within 2^-33 through its 32-bit threshold. posterior_mode
// gives 0 or -infinity, and log(1/2) on a tie.
inline double log_action_probability(ActionRule rule, double alpha, double zeta, double evidence,
                                     int s) {
  if (rule == ActionRule::posterior_mode) {
    const double x = zeta + evidence;
    if (x == 0.0) return -std::log(2.0);
    return (x > 0.0) == (s > 0) ? 0.0 : -std::numeric_limits<double>::infinity();
  }
  // log logistic(y) = -log(1 + e^-y), written so that e^ never overflows.
  const double y = s * (alpha * posterior_log_odds(zeta, evidence));
  return -(std::fmax(-y, 0.0) + std::log1p(std::exp(-std::fabs(y))));
}

}  // namespace ising_agent
}  // namespace spinfer
