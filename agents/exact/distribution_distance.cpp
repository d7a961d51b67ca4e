#include "agents/exact/distribution_distance.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace spinfer {
namespace {

void require_same_size(const std::vector<double>& p, const std::vector<double>& q) {
  if (p.size() != q.size())
    throw std::invalid_argument("distributions over different numbers of states");
}

}  // namespace

double total_variation_distance(const std::vector<double>& p, const std::vector<double>& q) {
  require_same_size(p, q);
  double sum = 0;
  for (std::size_t x = 0; x < p.size(); ++x) sum += std::abs(p[x] - q[x]);
  return 0.5 * sum;
}

double relative_entropy(const std::vector<double>& p, const std::vector<double>& q) {
  require_same_size(p, q);
  double sum = 0;
  for (std::size_t x = 0; x < p.size(); ++x) {
    if (p[x] <= 0) continue;
    if (q[x] <= 0) return std::numeric_limits<double>::infinity();
    sum += p[x] * std::log(p[x] / q[x]);
  }
  return sum;
}

}  // namespace spinfer
