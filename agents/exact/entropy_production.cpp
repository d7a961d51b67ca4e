#include "agents/exact/entropy_production.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace spinfer {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

void require_size(const std::vector<double>& p, Eigen::Index rows, Eigen::Index cols) {
  if (rows != cols || static_cast<Eigen::Index>(p.size()) != rows)
    throw std::invalid_argument("entropy_production: kernel and distribution sizes differ");
}

}  // namespace

double entropy_production(const std::vector<double>& p, const SparseKernel& kernel) {
  require_size(p, kernel.rows(), kernel.cols());
  // A synchronous kernel fills its matrix: direct lookups of K(y, x) beat binary searches.
  if (kernel.nonZeros() > kernel.rows() * kernel.cols() / 4)
    return entropy_production(p, Eigen::MatrixXd(kernel));
  double sum = 0;
  for (Eigen::Index x = 0; x < kernel.outerSize(); ++x) {
    if (p[x] <= 0) continue;
    for (SparseKernel::InnerIterator it(kernel, x); it; ++it) {
      const Eigen::Index y = it.col();
      if (y == x || it.value() <= 0) continue;
      const double reverse = kernel.coeff(y, x);
      if (reverse <= 0) return kInfinity;
      sum += p[x] * it.value() * std::log(it.value() / reverse);
    }
  }
  return sum;
}

double entropy_production(const std::vector<double>& p, const Eigen::MatrixXd& kernel) {
  require_size(p, kernel.rows(), kernel.cols());
  // Column y of the transpose holds the reverse probabilities K(y, x) contiguously, as column y
  // of the kernel holds the forward ones.
  const Eigen::MatrixXd transposed = kernel.transpose();
  double sum = 0;
  for (Eigen::Index y = 0; y < kernel.cols(); ++y) {
    for (Eigen::Index x = 0; x < kernel.rows(); ++x) {
      const double forward = kernel(x, y);
      if (x == y || p[x] <= 0 || forward <= 0) continue;
      const double reverse = transposed(x, y);
      if (reverse <= 0) return kInfinity;
      sum += p[x] * forward * std::log(forward / reverse);
    }
  }
  return sum;
}

double sweep_entropy_production(const SweepSteps& steps, const std::vector<double>& stationary) {
  double total = 0;
  Eigen::RowVectorXd p = Eigen::Map<const Eigen::RowVectorXd>(
      stationary.data(), static_cast<Eigen::Index>(stationary.size()));
  std::vector<double> before(stationary.size());
  for (int r = 0; r < steps.repeats; ++r) {
    for (const SparseKernel& kernel : steps.kernels) {
      Eigen::RowVectorXd::Map(before.data(), p.size()) = p;
      total += entropy_production(before, kernel);
      p = p * kernel;
    }
  }
  return total;
}

}  // namespace spinfer
