#include "agents/exact/exact_observables.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

constexpr int kMaxPairwiseAgents = 14;
// The incremental log-weight drifts by rounding; a rebuild every so often keeps it bounded.
constexpr std::uint64_t kRebuildPeriod = 4096;

void check_distribution(const std::vector<double>& p, int n, int max_agents) {
  if (n < 1 || n > max_agents) {
    throw field_error("agents", n, "must be in [1, " + std::to_string(max_agents) + "]");
  }
  if (p.size() != (std::size_t{1} << n)) {
    throw std::invalid_argument("distribution size is not 2^n");
  }
}

// Log-weights sum_{i<j} gamma_ij s_i s_j + zeta.s of all states, in Gray-code order (O(n) each).
std::vector<double> log_weights(const ReducedModel& model) {
  const auto n = static_cast<int>(model.zeta.size());
  Eigen::MatrixXd u = model.gamma.triangularView<Eigen::StrictlyUpper>();
  u = u + u.transpose().eval();  // s.u.s / 2 is the pair sum
  Eigen::VectorXd s(n);
  Eigen::VectorXd local(n);
  double log_weight = 0;
  auto rebuild = [&](std::uint64_t index) {
    for (int k = 0; k < n; ++k) s[k] = ((index >> k) & 1u) ? 1.0 : -1.0;
    local = model.zeta + u * s;
    // s.u.s = s.(local - zeta); a plain loop, as Eigen's vectorised dot trips a false
    // -Wmaybe-uninitialized in GCC 12's AVX-512 headers.
    log_weight = 0;
    for (int k = 0; k < n; ++k) log_weight += 0.5 * s[k] * (local[k] + model.zeta[k]);
  };
  const std::uint64_t states = std::uint64_t{1} << n;
  std::vector<double> w(states);
  rebuild(0);
  w[0] = log_weight;
  for (std::uint64_t t = 1; t < states; ++t) {
    const std::uint64_t index = t ^ (t >> 1);
    if (t % kRebuildPeriod == 0) {
      rebuild(index);
    } else {
      const int k = std::countr_zero(t);
      log_weight -= 2.0 * s[k] * local[k];
      s[k] = -s[k];
      local += (2.0 * s[k]) * u.col(k);
    }
    w[index] = log_weight;
  }
  return w;
}

// In-place unnormalised Walsh-Hadamard transform: applying it twice multiplies by 2^n.
void walsh_hadamard(std::vector<double>& x) {
  for (std::size_t half = 1; half < x.size(); half *= 2) {
    for (std::size_t block = 0; block < x.size(); block += 2 * half) {
      for (std::size_t i = block; i < block + half; ++i) {
        const double a = x[i];
        const double b = x[i + half];
        x[i] = a + b;
        x[i + half] = a - b;
      }
    }
  }
}

// Folds P(a xor b = d) into P(q): d has popcount(d) disagreeing spins, q = (n - 2 popcount) / n,
// which is entry n - popcount(d).
std::vector<double> by_disagreements(const std::vector<double>& p_xor, int n) {
  std::vector<double> pq(static_cast<std::size_t>(n) + 1, 0.0);
  for (std::size_t d = 0; d < p_xor.size(); ++d) pq[n - std::popcount(d)] += p_xor[d];
  return pq;
}

}  // namespace

ExactThermodynamics exact_thermodynamics(const ReducedModel& model, double beta) {
  if (!std::isfinite(beta) || beta <= 0) throw field_error("beta", beta, "must be finite and > 0");
  const auto n = static_cast<int>(model.zeta.size());
  if (model.gamma.rows() != n || model.gamma.cols() != n) {
    throw std::invalid_argument("ReducedModel: gamma must be n x n with n = zeta.size()");
  }
  if (n < 1 || n > kMaxEnumeratedAgents) {
    throw field_error("free agents", n,
                      "must be in [1, " + std::to_string(kMaxEnumeratedAgents) + "]");
  }
  const std::vector<double> w = log_weights(model);
  const double top = *std::max_element(w.begin(), w.end());
  double z = 0;
  for (double x : w) z += std::exp(x - top);

  ExactThermodynamics r;
  r.agents = n;
  r.beta = beta;
  r.log_partition = top + std::log(z);
  const double nd = n;
  r.free_energy_per_spin = -r.log_partition / (beta * nd);
  double e1 = 0, e2 = 0;
  for (std::size_t index = 0; index < w.size(); ++index) {
    const double p = std::exp(w[index] - top) / z;
    const double e = -w[index] / (beta * nd);
    const double m = (2.0 * std::popcount(index) - nd) / nd;
    e1 += p * e;
    e2 += p * e * e;
    r.magnetization += p * m;
    r.abs_magnetization += p * std::abs(m);
    r.m2 += p * m * m;
    r.m4 += p * m * m * m * m;
  }
  r.energy_per_spin = e1;
  r.specific_heat = beta * beta * nd * (e2 - e1 * e1);
  r.susceptibility = nd * beta * (r.m2 - r.abs_magnetization * r.abs_magnetization);
  r.connected_susceptibility = nd * beta * (r.m2 - r.magnetization * r.magnetization);
  r.binder = 1.0 - r.m4 / (3.0 * r.m2 * r.m2);
  return r;
}

std::vector<double> exact_overlap_distribution(const std::vector<double>& p, int n) {
  check_distribution(p, n, kMaxEnumeratedAgents);
  std::vector<double> x = p;
  walsh_hadamard(x);
  for (double& v : x) v *= v;
  walsh_hadamard(x);
  const double scale = 1.0 / static_cast<double>(x.size());
  // Cancellation can leave -1e-17 where the true value is 0; probabilities are never negative.
  for (double& v : x) v = std::max(0.0, v * scale);
  return by_disagreements(x, n);
}

std::vector<double> overlap_distribution_by_pairs(const std::vector<double>& p, int n) {
  check_distribution(p, n, kMaxPairwiseAgents);
  std::vector<double> p_xor(p.size(), 0.0);
  for (std::size_t a = 0; a < p.size(); ++a) {
    for (std::size_t b = 0; b < p.size(); ++b) p_xor[a ^ b] += p[a] * p[b];
  }
  return by_disagreements(p_xor, n);
}

ExactOverlap exact_overlap(const std::vector<double>& p, int n) {
  ExactOverlap r;
  r.distribution = exact_overlap_distribution(p, n);
  for (int k = 0; k <= n; ++k) {
    const double q = -1.0 + 2.0 * k / n;
    const double w = r.distribution[k];
    r.mean += w * q;
    r.abs_mean += w * std::abs(q);
    r.q2 += w * q * q;
    r.q4 += w * q * q * q * q;
  }
  r.binder = 0.5 * (3.0 - r.q4 / (r.q2 * r.q2));
  r.spin_glass_susceptibility = n * r.q2;
  return r;
}

}  // namespace spinfer
