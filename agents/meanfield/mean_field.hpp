#pragma once
// Mean-field approximations of a spin glass (couplings J_ij, fields h_i, inverse temperature
// beta): fast forward solvers whose magnetizations and free energies are compared with sampling.
//   naive:  m_i = tanh(beta h_i + beta sum_j J_ij m_j)
//   TAP:    m_i = tanh(beta h_i + beta sum_j J_ij m_j - beta^2 m_i sum_j J_ij^2 (1 - m_j^2))
// (the last term is the Onsager reaction of the neighbours to m_i). Both are stationary points of
// the Plefka expansion of the Gibbs free energy to first (naive) or second (TAP) order in beta:
//   -beta F / N = (1/N) [ sum_i H(m_i) + beta sum_i h_i m_i + beta sum_{i<j} J_ij m_i m_j
//                         + (beta^2 / 2) sum_{i<j} J_ij^2 (1 - m_i^2)(1 - m_j^2) ],  TAP only
// with H(m) the entropy of a spin of mean m. At the solution it approximates ln Z / N.
#include <Eigen/Dense>

#include "agents/core/weighted_graph.hpp"

namespace spinfer {

enum class MeanFieldKind { naive, tap };

struct MeanFieldOptions {
  // Damped iteration m <- (1 - damping) update(m) + damping m, all agents at once; damping in
  // [0, 1). Undamped parallel iteration oscillates when the couplings are strong or frustrated.
  double damping = 0.5;
  int max_iterations = 10000;
  double tolerance = 1e-12;  // stop when max_i |update(m)_i - m_i| falls below it
  // Starting point, one entry per agent in (-1, 1); empty means m_i = tanh(beta h_i). With h = 0
  // that start is the paramagnetic fixed point m = 0: give a start to find another solution.
  Eigen::VectorXd initial;
};

struct MeanFieldResult {
  Eigen::VectorXd m;
  int iterations = 0;   // evaluations of the mean-field map
  double residual = 0;  // max_i |update(m)_i - m_i| at the returned m
  bool converged = false;
  // The Plefka free energy of the chosen order at the returned m, per spin: reduced (beta F / N,
  // comparable with -ln Z / N) and in units of J (F / N).
  double reduced_free_energy = 0;
  double free_energy_per_spin = 0;
};

// `couplings` holds J_ij (symmetric, every edge in both rows, as in SpinGlass) and h_i. Running out
// of iterations is reported in the result (converged = false), not thrown. Throws spinfer::Error
// on bad options, beta not finite and > 0, or an initial vector of the wrong size or range.
MeanFieldResult solve_mean_field(const WeightedGraph& couplings, double beta, MeanFieldKind kind,
                                 const MeanFieldOptions& options = {});

// The Plefka free energy beta F / N of the given order at any magnetizations (|m_i| <= 1).
double mean_field_reduced_free_energy(const WeightedGraph& couplings, double beta,
                                      MeanFieldKind kind, const Eigen::VectorXd& m);

}  // namespace spinfer
