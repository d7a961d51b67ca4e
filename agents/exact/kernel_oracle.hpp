#pragma once
// The exact reference for any kernel of a small population: its stationary law, entropy
// production, and how far the stationary law lies from the closed forms that hold in special
// cases. This settles, for each knob, whether the stationary law depends on the symmetric part of
// the couplings only: it does for symmetric gamma under sequential or chromatic heat-bath
// (Boltzmann), and in general not otherwise.
#include "agents/exact/stationary_law.hpp"
#include "agents/exact/transition_kernel.hpp"

namespace spinfer {

struct DistanceFrom {
  double total_variation = 0;
  double kl = 0;  // KL(stationary || reference)
};

struct KernelReport {
  StationaryLaw stationary;
  double entropy_production_per_sweep = 0;  // +infinity: some step has an impossible reverse
  int steps_per_sweep = 1;  // n site updates, the colour phases, or 1 synchronous update
  // The references are computed at the effective precisions alpha * gamma, alpha * zeta (alpha
  // the policy precision; the model as given under posterior_mode):
  DistanceFrom boltzmann;            // Boltzmann(gamma), from gamma's upper triangle
  DistanceFrom boltzmann_symmetric;  // Boltzmann((gamma + gamma^T) / 2)
  DistanceFrom little;               // Little(gamma), gamma as given
};

// Sequential and chromatic sample_posterior kernels are solved by (lazy) power iteration over
// the sparse steps from Boltzmann(J_sym) until ||pi K - pi||_1 <= 1e-13 (milliseconds when the
// chain mixes fast); synchronous kernels (dense), posterior_mode and chains that do not
// converge within a budget of work comparable to the dense solve go to the dense solve. Throws as
// sweep_steps and stationary_law do.
KernelReport analyse_kernel(const ReducedModel& model, const KernelSpec& spec);

}  // namespace spinfer
