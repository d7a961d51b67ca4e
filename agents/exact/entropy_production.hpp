#pragma once
// Exact entropy production of a known Markov kernel: sum_x p(x) sum_y K(x, y) log(K(x, y) /
// K(y, x)), the mean over one step of the log-ratio of forward to backward transition
// probabilities. It is what a trajectory accumulates when each update adds log K_forward -
// log K_backward (entropy_production_meter.hpp), zero for a kernel in detailed balance with p,
// positive in a non-equilibrium steady state.
//
// When a transition with p(x) K(x, y) > 0 has K(y, x) = 0 (posterior_mode moving downhill) its
// reverse is impossible and the rate is +infinity: no finite log-ratio measures it.
#include <vector>

#include <Eigen/Dense>

#include "agents/exact/transition_kernel.hpp"

namespace spinfer {

double entropy_production(const std::vector<double>& p, const SparseKernel& kernel);
double entropy_production(const std::vector<double>& p, const Eigen::MatrixXd& kernel);

// Per sweep of the stationary process, summed over its elementary steps: n single-site updates
// (each from the stationary law), the colour phases (each from the law the previous phases leave,
// which need not be stationary for the phase itself), or the one synchronous update.
// Symmetric sequential or chromatic heat-bath gives 0 (every step is in detailed balance with
// Boltzmann); so does symmetric synchronous (in detailed balance with Little's law).
double sweep_entropy_production(const SweepSteps& steps, const std::vector<double>& stationary);

}  // namespace spinfer
