#include "agents/ising/agent_population.hpp"

#include <cmath>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

WeightedGraph scaled(WeightedGraph graph, double factor) {
  for (double& w : graph.weights) w *= factor;
  for (double& f : graph.fields) f *= factor;
  return graph;
}

void require_positive_finite_beta(double beta) {
  if (!std::isfinite(beta) || beta <= 0) throw field_error("beta", beta, "must be finite and > 0");
}

}  // namespace

AgentPopulation agents_from_spin_glass(const SpinGlass& glass, double beta) {
  require_positive_finite_beta(beta);
  return {scaled(glass.couplings, beta), glass.lattice};
}

SpinGlass spin_glass_from_agents(const AgentPopulation& agents, double beta, double tolerance) {
  require_positive_finite_beta(beta);
  const double asymmetry = weight_asymmetry(agents.precisions);
  if (asymmetry > tolerance)
    throw field_error("precisions", asymmetry,
                      "largest |gamma_ij - gamma_ji| is nonzero: asymmetric precisions implement "
                      "no spin glass");
  return {scaled(agents.precisions, 1.0 / beta), agents.lattice, "implied by agents"};
}

}  // namespace spinfer
