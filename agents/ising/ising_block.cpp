#include "agents/ising/ising_block.hpp"

#include <algorithm>
#include <cmath>

#include "agents/core/error.hpp"
#include "agents/ising/lookup_kernels.hpp"

namespace spinfer {
namespace {

// The common |W| and field if the block qualifies for the lookup table, else unit = 0.
struct CommonWeight {
  double unit = 0;
  double field = 0;
};

CommonWeight common_weight(const WeightedGraph& g) {
  if (g.weights.empty() || g.fields.empty()) return {};
  const double unit = std::fabs(g.weights.front());
  const double field = g.fields.front();
  if (unit == 0) return {};
  for (double w : g.weights)
    if (std::fabs(w) != unit) return {};
  for (double h : g.fields)
    if (h != field) return {};
  return {unit, field};
}

void require_scales(const std::vector<double>& scales) {
  if (scales.empty()) throw field_error("temperatures", 0, "need at least one beta");
  for (double b : scales)
    if (!std::isfinite(b) || b < 0) throw field_error("beta", b, "must be finite and >= 0");
}

}  // namespace

bool has_common_precision(const WeightedGraph& weights) {
  return common_weight(weights).unit > 0;
}

IsingBlock::IsingBlock(WeightedGraph local_weights, const IsingBlockOptions& options)
    : graph_(std::move(local_weights)), options_(options) {
  const double alpha = options_.policy_precision;
  if (!std::isfinite(alpha) || alpha < 0)
    throw field_error("policy_precision", alpha, "must be finite and >= 0");
  const auto n = graph_.size();
  for (std::int64_t i = 0; i < n; ++i) max_degree_ = std::max(max_degree_, graph_.degree(i));
  regular_degree_ = max_degree_;
  for (std::int64_t i = 0; i < n; ++i)
    if (graph_.degree(i) != max_degree_) regular_degree_ = 0;
  if (options_.free_energy) {
    log_normaliser_.resize(n);
    for (std::int64_t i = 0; i < n; ++i) {
      double sum = ising_agent::log_2cosh(graph_.fields[i]);
      for (auto e = graph_.row_offsets[i]; e < graph_.row_offsets[i + 1]; ++e)
        sum += ising_agent::log_2cosh(graph_.weights[e]);
      log_normaliser_[i] = sum;
    }
  }
  const CommonWeight common = common_weight(graph_);
  discrete_ =
      options_.lookup_allowed && common.unit > 0 && options_.rule == ActionRule::sample_posterior;
  if (!discrete_) return;
  unit_ = common.unit;
  field_ = common.field;
  signs_.resize(graph_.weights.size());
  std::transform(graph_.weights.begin(), graph_.weights.end(), signs_.begin(),
                 [](double w) { return static_cast<std::int8_t>(w > 0 ? 1 : -1); });
  // E = -(|W| / 2) sum_i s_i k_i - field sum_i s_i: fixed-point multiples of two integer sums,
  // exact integer arithmetic, so every split of the rows adds up to the same bits.
  bond_fixed_ = fixed_point::from_double(-0.5 * unit_);
  field_fixed_ = fixed_point::from_double(-field_);
}

IsingBlock::IsingBlock(WeightedGraph local_weights, std::vector<double> scales,
                       const IsingBlockOptions& options)
    : IsingBlock(std::move(local_weights), options) {
  set_scales(std::move(scales));
}

IsingBlock::IsingBlock(WeightedGraph local_precisions, ActionRule rule, bool lookup_allowed,
                       double policy_precision)
    : IsingBlock(std::move(local_precisions), {1.0},
                 IsingBlockOptions{rule, policy_precision, lookup_allowed, true, false}) {}

IsingBlock IsingBlock::rewired(WeightedGraph local_weights) const {
  return IsingBlock(std::move(local_weights), scales_, options_);
}

void IsingBlock::set_scales(std::vector<double> scales) {
  require_scales(scales);
  scales_ = std::move(scales);
  if (!discrete_) return;
  const std::int64_t width = 2 * max_degree_ + 1;
  threshold_.resize(scales_.size() * static_cast<std::size_t>(width));
  flip_fixed_.resize(threshold_.size());
  const double alpha = options_.policy_precision;
  for (std::size_t t = 0; t < scales_.size(); ++t) {
    // |s W| = s |W| exactly, so the scale-1 table is the one the precisions themselves give.
    const double unit = scales_[t] * unit_;
    const double zeta = scales_[t] * field_;
    for (std::int64_t k = -max_degree_; k <= max_degree_; ++k) {
      const double evidence = unit * static_cast<double>(k);
      const std::size_t at = t * width + k + max_degree_;
      threshold_[at] = ising_agent::up_threshold(ising_agent::action_up(alpha, zeta, evidence));
      flip_fixed_[at] =
          fixed_point::from_double(alpha * ising_agent::posterior_log_odds(zeta, evidence));
    }
  }
}

double IsingBlock::evidence(std::int32_t row, const State* state) const {
  double sum = 0;
  for (auto e = graph_.row_offsets[row]; e < graph_.row_offsets[row + 1]; ++e)
    sum += graph_.weights[e] * state[graph_.columns[e]];
  return sum;
}

IsingBlock::State IsingBlock::act_one(std::int32_t row, int k, const State* state,
                                      std::uint32_t uniform) const {
  if (discrete_ && options_.tabled_single_updates) {
    const lookup_kernels::Graph g{graph_.row_offsets.data(), graph_.columns.data(), signs_.data()};
    const int evidence = lookup_kernels::integer_evidence<0>(g, row, state);
    return lookup_kernels::spin_from_bit(uniform < thresholds(k)[evidence]);
  }
  return ising_agent::act(options_.rule, options_.policy_precision, field(row, k),
                          scales_[k] * evidence(row, state), uniform);
}

void IsingBlock::act(std::span<const std::int32_t> agents, int k, const State* state_in,
                     State* state_out, const std::uint32_t* uniforms) const {
  if (!discrete_) {
    for (const std::int32_t i : agents)
      state_out[i] = ising_agent::act(options_.rule, options_.policy_precision, field(i, k),
                                      scales_[k] * evidence(i, state_in), uniforms[i]);
    return;
  }
  const lookup_kernels::Graph g{graph_.row_offsets.data(), graph_.columns.data(), signs_.data()};
  const std::uint64_t* threshold = thresholds(k);
  lookup_kernels::with_degree(regular_degree_, [&]<int D>() {
    lookup_kernels::act<D, false>(g, agents, threshold, state_in, state_out, uniforms);
  });
}

std::int64_t IsingBlock::act_counting_bonds(std::span<const std::int32_t> agents, int k,
                                            const State* state_in, State* state_out,
                                            const std::uint32_t* uniforms) const {
  if (!discrete_) {
    act(agents, k, state_in, state_out, uniforms);
    return 0;
  }
  const lookup_kernels::Graph g{graph_.row_offsets.data(), graph_.columns.data(), signs_.data()};
  const std::uint64_t* threshold = thresholds(k);
  return lookup_kernels::with_degree(regular_degree_, [&]<int D>() {
    return lookup_kernels::act<D, true>(g, agents, threshold, state_in, state_out, uniforms);
  });
}

void IsingBlock::act_in_place(std::span<const std::int32_t> agents, int k, State* state,
                              const std::uint32_t* uniforms, EntropySum& entropy) const {
  if (discrete_) {
    const lookup_kernels::Graph g{graph_.row_offsets.data(), graph_.columns.data(), signs_.data()};
    const std::uint64_t* flip = flip_fixed_.data() + (thresholds(k) - threshold_.data());
    entropy.fixed += lookup_kernels::with_degree(regular_degree_, [&]<int D>() {
      return lookup_kernels::act_entropy<D>(g, agents, thresholds(k), flip, state, uniforms);
    });
    return;
  }
  const ActionRule rule = options_.rule;
  const double alpha = options_.policy_precision;
  for (const std::int32_t i : agents) {
    const double e = scales_[k] * evidence(i, state);
    const double zeta = field(i, k);
    const State before = state[i];
    state[i] = ising_agent::act(rule, alpha, zeta, e, uniforms[i]);
    if (state[i] == before) continue;
    const double term = rule == ActionRule::sample_posterior
                            ? state[i] * (alpha * ising_agent::posterior_log_odds(zeta, e))
                            : ising_agent::log_action_probability(rule, alpha, zeta, e, state[i]) -
                                  ising_agent::log_action_probability(rule, alpha, zeta, e, before);
    if (std::isfinite(term))
      entropy.fixed += fixed_point::from_double(term);
    else
      ++entropy.infinite;
  }
}

double IsingBlock::log_action_probability(std::int32_t row, int k, const State* state,
                                          int s) const {
  return ising_agent::log_action_probability(options_.rule, options_.policy_precision,
                                             field(row, k), scales_[k] * evidence(row, state), s);
}

double IsingBlock::log_flip_ratio(std::int32_t row, int k, const State* state, int s_new) const {
  const double e = scales_[k] * evidence(row, state);
  const double zeta = field(row, k);
  const ActionRule rule = options_.rule;
  const double alpha = options_.policy_precision;
  if (rule == ActionRule::sample_posterior)
    return s_new * (alpha * ising_agent::posterior_log_odds(zeta, e));
  return ising_agent::log_action_probability(rule, alpha, zeta, e, s_new) -
         ising_agent::log_action_probability(rule, alpha, zeta, e, -s_new);
}

std::uint64_t IsingBlock::energy_fixed(std::int64_t bonds, std::int64_t spins) const {
  return static_cast<std::uint64_t>(bonds) * bond_fixed_ +
         static_cast<std::uint64_t>(spins) * field_fixed_;
}

IsingBlock::Sums IsingBlock::measure(const State* state) const {
  Sums sums;
  if (discrete_) {
    const lookup_kernels::Graph g{graph_.row_offsets.data(), graph_.columns.data(), signs_.data()};
    std::int64_t bonds = 0;
    lookup_kernels::with_degree(regular_degree_, [&]<int D>() {
      lookup_kernels::bond_sums<D>(g, rows(), state, bonds, sums.spin);
    });
    sums.energy_fixed = energy_fixed(bonds, sums.spin);
    return sums;
  }
  for (std::int64_t i = 0; i < rows(); ++i) {
    const auto row = static_cast<std::int32_t>(i);
    sums.spin += state[i];
    sums.energy_fixed +=
        fixed_point::from_double(-state[i] * (0.5 * evidence(row, state) + graph_.fields[i]));
  }
  return sums;
}

IsingBlock::Sums IsingBlock::measure_with_free_energy(const State* state) const {
  if (log_normaliser_.size() != static_cast<std::size_t>(rows()))
    throw field_error("IsingBlock", "measure_with_free_energy", "built without free energies");
  Sums sums;
  for (std::int64_t i = 0; i < rows(); ++i) {
    const double e = evidence(static_cast<std::int32_t>(i), state);
    const double zeta = graph_.fields[i];
    sums.spin += state[i];
    sums.energy_fixed += fixed_point::from_double(-state[i] * (0.5 * e + zeta));
    sums.free_energy_fixed +=
        fixed_point::from_double(ising_agent::free_energy(zeta, e, log_normaliser_[i]));
  }
  return sums;
}

}  // namespace spinfer
