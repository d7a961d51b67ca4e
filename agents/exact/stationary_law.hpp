#pragma once
// The stationary distribution of a finite Markov kernel, solved rather than power-iterated: the
// closed communicating classes are found first (a unique stationary law needs exactly one), and
// the linear system pi (K - I) = 0, sum pi = 1 is solved on that class.
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace spinfer {

struct StationaryLaw {
  std::vector<double> p;     // by state; exactly 0 outside the closed class (transient states)
  double residual = 0;       // ||p K - p||_1
  std::int64_t support = 0;  // states in the closed class
};

// `kernel` must be square, non-negative and row-stochastic (std::invalid_argument otherwise).
// Throws spinfer::Error when the kernel has more than one closed class (posterior_mode with
// several attractors has no unique stationary law) or when the residual exceeds `tolerance`.
StationaryLaw stationary_law(const Eigen::MatrixXd& kernel, double tolerance = 1e-10);

// Number of closed communicating classes of the kernel's transition graph (entries > 0).
int closed_class_count(const Eigen::MatrixXd& kernel);

}  // namespace spinfer
