#pragma once
// Distances between two probability distributions over the same states (exact ones, as opposed
// to statistics.hpp's empirical counts against a reference).
#include <vector>

namespace spinfer {

// (1/2) sum_x |p(x) - q(x)|, in [0, 1].
double total_variation_distance(const std::vector<double>& p, const std::vector<double>& q);

// KL(p || q) = sum_x p(x) log(p(x) / q(x)) over p(x) > 0; +infinity when q(x) = 0 < p(x).
double relative_entropy(const std::vector<double>& p, const std::vector<double>& q);

}  // namespace spinfer
