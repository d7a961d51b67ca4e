#include "agents/exact/transition_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

using Row = std::vector<std::pair<int, double>>;

// P(agent k acts s | state x) for every state and agent, from the exact log-probabilities.
class ActionProbabilities {
 public:
  ActionProbabilities(const ReducedModel& model, const KernelSpec& spec)
      : n_(static_cast<int>(model.zeta.size())),
        up_(static_cast<std::size_t>(states()) * n_),
        down_(up_.size()) {
    Eigen::VectorXd s(n_);
    for (int x = 0; x < states(); ++x) {
      for (int k = 0; k < n_; ++k) s[k] = ((x >> k) & 1) ? 1.0 : -1.0;
      const Eigen::VectorXd evidence = model.gamma * s;
      for (int k = 0; k < n_; ++k) {
        const auto at = static_cast<std::size_t>(x) * n_ + k;
        for (int sign : {+1, -1}) {
          const double p = std::exp(ising_agent::log_action_probability(
              spec.rule, spec.policy_precision, model.zeta[k], evidence[k], sign));
          (sign > 0 ? up_ : down_)[at] = p;
        }
      }
    }
  }

  [[nodiscard]] int agents() const { return n_; }
  [[nodiscard]] int states() const { return 1 << n_; }
  // Probability that agent k, acting in state x, sets its bit to `bit` (true: spin +1).
  [[nodiscard]] double of(int x, int k, bool bit) const {
    const auto at = static_cast<std::size_t>(x) * n_ + k;
    return bit ? up_[at] : down_[at];
  }

 private:
  int n_;
  std::vector<double> up_, down_;
};

// Fills a row-major sparse kernel one row at a time; `row(x, out)` lists row x's entries.
template <class RowOf>
SparseKernel build(int states, int entries_per_row, RowOf row) {
  SparseKernel kernel(states, states);
  kernel.reserve(Eigen::VectorXi::Constant(states, entries_per_row));
  Row entries;
  for (int x = 0; x < states; ++x) {
    entries.clear();
    row(x, entries);
    std::sort(entries.begin(), entries.end());
    for (const auto& [y, p] : entries)
      if (p > 0) kernel.insert(x, y) = p;
  }
  kernel.makeCompressed();
  return kernel;
}

SparseKernel single_site_kernel(const ActionProbabilities& a) {
  const int n = a.agents();
  const double pick = 1.0 / n;
  return build(a.states(), n + 1, [&](int x, Row& out) {
    double stay = 0;
    for (int k = 0; k < n; ++k) {
      const bool bit = ((x >> k) & 1) != 0;
      stay += a.of(x, k, bit);
      out.emplace_back(x ^ (1 << k), pick * a.of(x, k, !bit));
    }
    out.emplace_back(x, pick * stay);
  });
}

// Every agent in `members` acts on state x; the others keep their bits. With members = all
// agents this is the synchronous update.
SparseKernel joint_update_kernel(const ActionProbabilities& a, const std::vector<int>& members) {
  const int r = static_cast<int>(members.size());
  int mask = 0;
  for (int k : members) mask |= 1 << k;
  return build(a.states(), 1 << r, [&](int x, Row& out) {
    // Doubling over the members: after step j, out lists the 2^(j+1) settings of members 0..j.
    out.emplace_back(x & ~mask, 1.0);
    for (int k : members) {
      const std::size_t half = out.size();
      for (std::size_t t = 0; t < half; ++t) {
        out.emplace_back(out[t].first | (1 << k), out[t].second * a.of(x, k, true));
        out[t].second *= a.of(x, k, false);
      }
    }
  });
}

void validate(const ReducedModel& model, const KernelSpec& spec) {
  const auto n = model.zeta.size();
  if (n < 1 || n > kMaxKernelAgents)
    throw field_error("free agents", n,
                      "the exact kernel needs 1 to " + std::to_string(kMaxKernelAgents));
  if (model.gamma.rows() != n || model.gamma.cols() != n)
    throw std::invalid_argument("ReducedModel: gamma must be n x n with n = zeta.size()");
  if (!model.gamma.allFinite() || !model.zeta.allFinite())
    throw field_error("precisions", "non-finite", "the exact kernel needs finite precisions");
  if (model.gamma.diagonal().cwiseAbs().maxCoeff() != 0)
    throw std::invalid_argument("ReducedModel: gamma must have a zero diagonal");
  if (!std::isfinite(spec.policy_precision) || spec.policy_precision < 0)
    throw field_error("policy_precision", spec.policy_precision, "must be finite and >= 0");
  if (spec.schedule != KernelSchedule::chromatic) return;

  std::vector<int> class_of(static_cast<std::size_t>(n), -1);
  for (std::size_t c = 0; c < spec.colour_classes.size(); ++c) {
    for (int k : spec.colour_classes[c]) {
      if (k < 0 || k >= n) throw field_error("colour classes", k, "no such free agent");
      if (class_of[k] >= 0) throw field_error("colour classes", k, "agent in two classes");
      class_of[k] = static_cast<int>(c);
    }
  }
  for (int k = 0; k < n; ++k) {
    if (class_of[k] < 0) throw field_error("colour classes", k, "agent in no class");
    for (int l = k + 1; l < n; ++l)
      if (class_of[k] == class_of[l] && (model.gamma(k, l) != 0 || model.gamma(l, k) != 0))
        throw field_error("colour classes",
                          "(" + std::to_string(k) + ", " + std::to_string(l) + ")",
                          "coupled agents share a class");
  }
}

}  // namespace

SweepSteps sweep_steps(const ReducedModel& model, const KernelSpec& spec) {
  validate(model, spec);
  const ActionProbabilities a(model, spec);
  SweepSteps steps;
  switch (spec.schedule) {
    case KernelSchedule::random_sequential:
      steps.kernels.push_back(single_site_kernel(a));
      steps.repeats = a.agents();
      break;
    case KernelSchedule::chromatic:
      for (const auto& members : spec.colour_classes)
        if (!members.empty()) steps.kernels.push_back(joint_update_kernel(a, members));
      break;
    case KernelSchedule::synchronous: {
      std::vector<int> everyone(static_cast<std::size_t>(a.agents()));
      for (int k = 0; k < a.agents(); ++k) everyone[k] = k;
      steps.kernels.push_back(joint_update_kernel(a, everyone));
      break;
    }
  }
  return steps;
}

Eigen::MatrixXd transition_matrix(const ReducedModel& model, const KernelSpec& spec) {
  return transition_matrix(sweep_steps(model, spec));
}

Eigen::MatrixXd transition_matrix(const SweepSteps& steps) {
  if (steps.kernels.empty()) throw std::invalid_argument("transition_matrix: no steps");
  Eigen::MatrixXd sweep = Eigen::MatrixXd(steps.kernels.front());
  // Random sequential stops at the single update (see the header); chromatic multiplies phases.
  for (std::size_t c = 1; c < steps.kernels.size(); ++c) {
    Eigen::MatrixXd next = sweep * steps.kernels[c];
    sweep.swap(next);
  }
  return sweep;
}

std::vector<std::vector<int>> colour_classes(const ReducedModel& model,
                                             const Colouring& colouring) {
  std::vector<std::vector<int>> classes(static_cast<std::size_t>(colouring.colours));
  for (std::size_t k = 0; k < model.free_agents.size(); ++k) {
    const AgentId id = model.free_agents[k];
    if (id < 0 || id >= static_cast<AgentId>(colouring.colour_of.size()))
      throw field_error("colouring", id, "free agent has no colour");
    classes[colouring.colour_of[id]].push_back(static_cast<int>(k));
  }
  std::erase_if(classes, [](const auto& members) { return members.empty(); });
  return classes;
}

}  // namespace spinfer
