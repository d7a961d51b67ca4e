#pragma once
// A population of active-inference agents: sensory precisions gamma_ij on the edges of the
// interaction graph and prior precisions zeta_i, both in a WeightedGraph. Conversions both ways
// with the spin glass it implements: beta J_ij = gamma_ij, beta h_i = zeta_i (needs gamma
// symmetric; otherwise the collective has no energy function and no detailed balance).
#include "agents/ising/spin_glass.hpp"

namespace spinfer {

struct AgentPopulation {
  WeightedGraph precisions;  // weights gamma_ij, fields zeta_i
  std::optional<LatticeShape> lattice;
};

AgentPopulation agents_from_spin_glass(const SpinGlass& glass, double beta);

// The spin glass that a population implements at inverse temperature beta. Throws spinfer::Error
// when the precisions are asymmetric beyond `tolerance`.
SpinGlass spin_glass_from_agents(const AgentPopulation& agents, double beta,
                                 double tolerance = 1e-12);

}  // namespace spinfer
