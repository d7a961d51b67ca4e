#pragma once
// Exact stationary distributions of small populations by enumerating all 2^n states. States are
// indexed by bits: bit k of the index is 1 when free agent k has spin +1.
//
// Everything is in precision units (beta folded in): gamma_ij = beta J_ij, zeta_i = beta h_i.
//   Boltzmann: P(s) ~ exp(sum_{i<j} gamma_ij s_i s_j + sum_i zeta_i s_i)
//   Little:    P(s) ~ exp(sum_i zeta_i s_i) prod_i 2 cosh(zeta_i + sum_j gamma_ij s_j)
// (Little's distribution is the stationary law of synchronous heat-bath updates, symmetric gamma.)
#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "agents/core/weighted_graph.hpp"

namespace spinfer {

inline constexpr int kMaxEnumeratedAgents = 24;

struct ClampedAgent {
  AgentId agent;
  std::int8_t value;  // -1 or +1
};

// The free agents of a population once the clamped ones are fixed: clamped neighbours become
// extra prior precision zeta_i + sum_{j clamped} gamma_ij v_j.
struct ReducedModel {
  std::vector<AgentId> free_agents;  // ascending global ids; free agent k is bit k
  Eigen::MatrixXd gamma;             // n_free x n_free, zero diagonal
  Eigen::VectorXd zeta;              // n_free
};

ReducedModel reduce_clamped(const WeightedGraph& precisions,
                            const std::vector<ClampedAgent>& clamped);

std::vector<double> boltzmann_distribution(const ReducedModel& model);
std::vector<double> little_distribution(const ReducedModel& model);

// Moments of a distribution over 2^n states: <s_k> and <s_k s_l>.
Eigen::VectorXd exact_magnetizations(const std::vector<double>& p, int n);
Eigen::MatrixXd exact_correlations(const std::vector<double>& p, int n);

}  // namespace spinfer
