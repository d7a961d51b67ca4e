#include "agents/exact/exact_oracle.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// Incremental updates accumulate rounding error along the walk; rebuilding the walker from
// scratch every so often (O(n^2), amortised to nothing) keeps the drift bounded.
constexpr std::uint64_t kRebuildPeriod = 4096;

double spin_of(std::uint64_t index, int k) {
  return ((index >> k) & 1u) != 0 ? 1.0 : -1.0;
}

// log(cosh x) without overflow: cosh x = e^|x| (1 + e^{-2|x|}) / 2. The constant -log 2 is
// dropped together with the 2 of "2 cosh", since constants cancel in the normalisation.
double log_two_cosh_shifted(double x) {
  const double a = std::abs(x);
  return a + std::log1p(std::exp(-2.0 * a));
}

void validate_model(const ReducedModel& model) {
  const auto n = model.zeta.size();
  if (model.gamma.rows() != n || model.gamma.cols() != n) {
    throw std::invalid_argument("ReducedModel: gamma must be n x n with n = zeta.size()");
  }
  if (n > kMaxEnumeratedAgents) {
    throw field_error("free agents", n,
                      "at most " + std::to_string(kMaxEnumeratedAgents) + " can be enumerated");
  }
}

// Boltzmann log-weight sum_{i<j} gamma_ij s_i s_j + zeta.s. Only the upper triangle of gamma
// enters (gamma is used as given, not symmetrised), so the walker works with the symmetric
// matrix u_ij = gamma_{min(i,j) max(i,j)}, for which the sum is s.u.s / 2. Flipping s_k changes
// the log-weight by -2 s_k b_k with b = zeta + u s.
class BoltzmannWalker {
 public:
  explicit BoltzmannWalker(const ReducedModel& model)
      : u_(model.gamma.triangularView<Eigen::StrictlyUpper>()), zeta_(model.zeta) {
    u_ = u_ + u_.transpose().eval();
    spins_.resize(zeta_.size());
  }

  void rebuild(std::uint64_t index) {
    for (int k = 0; k < spins_.size(); ++k) spins_[k] = spin_of(index, k);
    local_ = zeta_ + u_ * spins_;
    log_weight_ = 0.5 * spins_.dot(u_ * spins_) + zeta_.dot(spins_);
  }

  void flip(int k) {
    log_weight_ -= 2.0 * spins_[k] * local_[k];
    spins_[k] = -spins_[k];
    local_ += (2.0 * spins_[k]) * u_.col(k);  // u_kk = 0, so local_k itself is unchanged
  }

  [[nodiscard]] double log_weight() const { return log_weight_; }

 private:
  Eigen::MatrixXd u_;
  Eigen::VectorXd zeta_;
  Eigen::VectorXd spins_;
  Eigen::VectorXd local_;
  double log_weight_ = 0;
};

// Little log-weight zeta.s + sum_i log 2cosh(h_i), h = zeta + gamma s. A flip of s_k moves every
// h_i by 2 s_k gamma_ik (one column of gamma); the log-cosh sum is recomputed in O(n).
class LittleWalker {
 public:
  explicit LittleWalker(const ReducedModel& model) : gamma_(model.gamma), zeta_(model.zeta) {
    spins_.resize(zeta_.size());
  }

  void rebuild(std::uint64_t index) {
    for (int k = 0; k < spins_.size(); ++k) spins_[k] = spin_of(index, k);
    local_ = zeta_ + gamma_ * spins_;
    linear_ = zeta_.dot(spins_);
  }

  void flip(int k) {
    linear_ -= 2.0 * zeta_[k] * spins_[k];
    spins_[k] = -spins_[k];
    local_ += (2.0 * spins_[k]) * gamma_.col(k);
  }

  [[nodiscard]] double log_weight() const {
    double sum = linear_;
    for (int i = 0; i < local_.size(); ++i) sum += log_two_cosh_shifted(local_[i]);
    return sum;
  }

 private:
  Eigen::MatrixXd gamma_;
  Eigen::VectorXd zeta_;
  Eigen::VectorXd spins_;
  Eigen::VectorXd local_;
  double linear_ = 0;
};

// Walks all 2^n states in Gray-code order (step t visits index t ^ (t >> 1), one bit away from the
// previous index: bit countr_zero(t)), so each state costs O(n) instead of O(n^2). Returns the
// normalised distribution; the maximum log-weight is subtracted before exponentiating so large
// precisions cannot overflow.
template <class Walker>
std::vector<double> enumerate(const ReducedModel& model) {
  validate_model(model);
  const auto n = static_cast<int>(model.zeta.size());
  const std::uint64_t states = std::uint64_t{1} << n;
  std::vector<double> p(states);
  Walker walker(model);
  walker.rebuild(0);
  p[0] = walker.log_weight();
  for (std::uint64_t t = 1; t < states; ++t) {
    const std::uint64_t index = t ^ (t >> 1);
    if (t % kRebuildPeriod == 0) {
      walker.rebuild(index);
    } else {
      walker.flip(std::countr_zero(t));
    }
    p[index] = walker.log_weight();
  }

  const double top = *std::max_element(p.begin(), p.end());
  double total = 0;
  for (double& x : p) {
    x = std::exp(x - top);
    total += x;
  }
  for (double& x : p) x /= total;
  return p;
}

void check_distribution_size(const std::vector<double>& p, int n) {
  if (n < 0 || n > kMaxEnumeratedAgents || p.size() != (std::size_t{1} << n)) {
    throw std::invalid_argument("distribution size is not 2^n");
  }
}

}  // namespace

ReducedModel reduce_clamped(const WeightedGraph& precisions,
                            const std::vector<ClampedAgent>& clamped) {
  const AgentId n = precisions.size();
  if (static_cast<AgentId>(precisions.row_offsets.size()) != n + 1) {
    throw std::invalid_argument("reduce_clamped: row_offsets must have n + 1 entries");
  }

  // clamp_value[i] is 0 for a free agent, else the clamped spin.
  std::vector<std::int8_t> clamp_value(n, 0);
  for (const auto& c : clamped) {
    if (c.agent < 0 || c.agent >= n) {
      throw field_error("clamped", c.agent, "agent id out of range [0, " + std::to_string(n) + ")");
    }
    if (c.value != 1 && c.value != -1) {
      throw field_error("clamped", c.agent,
                        "value must be -1 or +1, got " + std::to_string(int{c.value}));
    }
    if (clamp_value[c.agent] != 0) throw field_error("clamped", c.agent, "agent clamped twice");
    clamp_value[c.agent] = c.value;
  }
  const AgentId n_free = n - static_cast<AgentId>(clamped.size());
  if (n_free > kMaxEnumeratedAgents) {
    throw field_error("clamped", clamped.size(),
                      "leaves " + std::to_string(n_free) + " free agents; at most " +
                          std::to_string(kMaxEnumeratedAgents) + " can be enumerated");
  }

  ReducedModel model;
  std::vector<int> local(n, -1);  // global id -> free index
  for (AgentId i = 0; i < n; ++i) {
    if (clamp_value[i] == 0) {
      local[i] = static_cast<int>(model.free_agents.size());
      model.free_agents.push_back(i);
    }
  }
  model.gamma = Eigen::MatrixXd::Zero(n_free, n_free);
  model.zeta.resize(n_free);
  for (int k = 0; k < n_free; ++k) {
    const AgentId i = model.free_agents[k];
    model.zeta[k] = precisions.fields[i];
    for (auto e = precisions.row_offsets[i]; e < precisions.row_offsets[i + 1]; ++e) {
      const AgentId j = precisions.columns[e];
      if (j < 0 || j >= n) throw std::invalid_argument("reduce_clamped: column out of range");
      const double w = precisions.weights[e];
      // A self-edge would put s_i^2 = 1 in the Boltzmann exponent (a constant); the model keeps
      // a zero diagonal, so self-edges are ignored.
      if (j == i) continue;
      if (clamp_value[j] != 0) {
        model.zeta[k] += w * clamp_value[j];
      } else {
        model.gamma(k, local[j]) += w;
      }
    }
  }
  return model;
}

std::vector<double> boltzmann_distribution(const ReducedModel& model) {
  return enumerate<BoltzmannWalker>(model);
}

std::vector<double> little_distribution(const ReducedModel& model) {
  return enumerate<LittleWalker>(model);
}

Eigen::VectorXd exact_magnetizations(const std::vector<double>& p, int n) {
  check_distribution_size(p, n);
  // <s_k> = P(s_k = +1) - P(s_k = -1) = 2 P(bit k set) - total.
  Eigen::VectorXd up = Eigen::VectorXd::Zero(n);
  double total = 0;
  for (std::size_t index = 0; index < p.size(); ++index) {
    total += p[index];
    for (int k = 0; k < n; ++k) {
      if ((index >> k) & 1u) up[k] += p[index];
    }
  }
  return 2.0 * up.array() - total;
}

Eigen::MatrixXd exact_correlations(const std::vector<double>& p, int n) {
  check_distribution_size(p, n);
  // <s_k s_l> = total - 2 P(bits k and l differ); only the upper triangle is accumulated.
  Eigen::MatrixXd differ = Eigen::MatrixXd::Zero(n, n);
  double total = 0;
  for (std::size_t index = 0; index < p.size(); ++index) {
    total += p[index];
    for (int k = 0; k < n; ++k) {
      for (int l = k + 1; l < n; ++l) {
        if (((index >> k) ^ (index >> l)) & 1u) differ(k, l) += p[index];
      }
    }
  }
  Eigen::MatrixXd c(n, n);
  for (int k = 0; k < n; ++k) {
    c(k, k) = total;
    for (int l = k + 1; l < n; ++l) c(k, l) = c(l, k) = total - 2.0 * differ(k, l);
  }
  return c;
}

}  // namespace spinfer
