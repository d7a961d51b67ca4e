#include "agents/ising/ising_block.hpp"

#include <algorithm>
#include <cmath>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// The common |gamma| and zeta if the block qualifies for the lookup table, else unit = 0.
struct CommonPrecision {
  double unit = 0;
  double zeta = 0;
};

CommonPrecision common_precision(const WeightedGraph& g) {
  if (g.weights.empty() || g.fields.empty()) return {};
  const double unit = std::fabs(g.weights.front());
  const double zeta = g.fields.front();
  if (unit == 0) return {};
  for (double w : g.weights)
    if (std::fabs(w) != unit) return {};
  for (double z : g.fields)
    if (z != zeta) return {};
  return {unit, zeta};
}

// Arithmetic instead of a conditional: the decision is a coin flip at high temperature, and a
// branch on it mispredicts half the time.
inline std::int8_t spin_from_bit(bool up) {
  return static_cast<std::int8_t>(2 * int{up} - 1);
}

// The lookup-table update with the degree known at compile time: rows are consecutive runs of
// D edges, so the row offsets need not be loaded and the edge loop unrolls completely.
template <int D>
void act_regular(std::span<const std::int32_t> agents, const std::int32_t* columns,
                 const std::int8_t* signs, const std::uint64_t* threshold,
                 const std::int8_t* state_in, std::int8_t* state_out,
                 const std::uint32_t* uniforms) {
  for (const std::int32_t i : agents) {
    const std::int64_t e = static_cast<std::int64_t>(i) * D;
    int k = 0;
    for (int d = 0; d < D; ++d) k += signs[e + d] * state_in[columns[e + d]];
    state_out[i] = spin_from_bit(uniforms[i] < threshold[k]);
  }
}

// The same in place, adding each flip's fixed-point log-odds (signed by the new spin): the
// entropy production costs one table load and a multiply-add per agent, no branch.
template <int D>
std::uint64_t act_regular_entropy(std::span<const std::int32_t> agents, const std::int32_t* columns,
                                  const std::int8_t* signs, const std::uint64_t* threshold,
                                  const std::uint64_t* flip_fixed, std::int8_t* state,
                                  const std::uint32_t* uniforms) {
  std::uint64_t sum = 0;
  for (const std::int32_t i : agents) {
    const std::int64_t e = static_cast<std::int64_t>(i) * D;
    int k = 0;
    for (int d = 0; d < D; ++d) k += signs[e + d] * state[columns[e + d]];
    const std::int8_t before = state[i];
    const std::int8_t after = spin_from_bit(uniforms[i] < threshold[k]);
    state[i] = after;
    // (after - before) / 2 is 0 without a flip, else the new spin.
    sum += static_cast<std::uint64_t>((after - before) / 2) * flip_fixed[k];
  }
  return sum;
}

}  // namespace

bool has_common_precision(const WeightedGraph& precisions) {
  return common_precision(precisions).unit > 0;
}

IsingBlock::IsingBlock(WeightedGraph local_precisions, ActionRule rule, bool lookup_allowed,
                       double policy_precision)
    : graph_(std::move(local_precisions)), rule_(rule), alpha_(policy_precision) {
  if (!std::isfinite(alpha_) || alpha_ < 0)
    throw field_error("policy_precision", alpha_, "must be finite and >= 0");
  const auto n = graph_.size();
  log_normaliser_.resize(n);
  for (std::int64_t i = 0; i < n; ++i) {
    double sum = ising_agent::log_2cosh(graph_.fields[i]);
    for (auto e = graph_.row_offsets[i]; e < graph_.row_offsets[i + 1]; ++e)
      sum += ising_agent::log_2cosh(graph_.weights[e]);
    log_normaliser_[i] = sum;
    max_degree_ = std::max(max_degree_, graph_.degree(i));
  }
  regular_degree_ = max_degree_;
  for (std::int64_t i = 0; i < n; ++i)
    if (graph_.degree(i) != max_degree_) regular_degree_ = 0;
  const CommonPrecision common = common_precision(graph_);
  discrete_ = lookup_allowed && common.unit > 0 && rule_ == ActionRule::sample_posterior;
  if (!discrete_) return;
  signs_.resize(graph_.weights.size());
  std::transform(graph_.weights.begin(), graph_.weights.end(), signs_.begin(),
                 [](double w) { return static_cast<std::int8_t>(w > 0 ? 1 : -1); });
  threshold_.resize(2 * max_degree_ + 1);
  flip_fixed_.resize(2 * max_degree_ + 1);
  for (std::int64_t k = -max_degree_; k <= max_degree_; ++k) {
    const double evidence = common.unit * static_cast<double>(k);
    threshold_[k + max_degree_] =
        ising_agent::up_threshold(ising_agent::action_up(alpha_, common.zeta, evidence));
    flip_fixed_[k + max_degree_] =
        fixed_point::from_double(alpha_ * ising_agent::posterior_log_odds(common.zeta, evidence));
  }
}

double IsingBlock::evidence(std::int32_t row, const std::int8_t* state) const {
  double sum = 0;
  for (auto e = graph_.row_offsets[row]; e < graph_.row_offsets[row + 1]; ++e)
    sum += graph_.weights[e] * state[graph_.columns[e]];
  return sum;
}

void IsingBlock::act(std::span<const std::int32_t> agents, const std::int8_t* state_in,
                     std::int8_t* state_out, const std::uint32_t* uniforms) const {
  const std::int64_t* offsets = graph_.row_offsets.data();
  const std::int32_t* columns = graph_.columns.data();
  if (discrete_) {
    const std::int8_t* signs = signs_.data();
    const std::uint64_t* threshold = threshold_.data() + max_degree_;
    switch (regular_degree_) {  // square and cubic lattices
      case 4:
        return act_regular<4>(agents, columns, signs, threshold, state_in, state_out, uniforms);
      case 6:
        return act_regular<6>(agents, columns, signs, threshold, state_in, state_out, uniforms);
      default:
        break;
    }
    for (const std::int32_t i : agents) {
      int k = 0;
      for (auto e = offsets[i]; e < offsets[i + 1]; ++e) k += signs[e] * state_in[columns[e]];
      state_out[i] = spin_from_bit(uniforms[i] < threshold[k]);
    }
    return;
  }
  for (const std::int32_t i : agents)
    state_out[i] =
        ising_agent::act(rule_, alpha_, graph_.fields[i], evidence(i, state_in), uniforms[i]);
}

void IsingBlock::act_in_place(std::span<const std::int32_t> agents, std::int8_t* state,
                              const std::uint32_t* uniforms, EntropySum& entropy) const {
  if (discrete_) {
    const std::int32_t* columns = graph_.columns.data();
    const std::int8_t* signs = signs_.data();
    const std::uint64_t* threshold = threshold_.data() + max_degree_;
    const std::uint64_t* flip = flip_fixed_.data() + max_degree_;
    switch (regular_degree_) {
      case 4:
        entropy.fixed +=
            act_regular_entropy<4>(agents, columns, signs, threshold, flip, state, uniforms);
        return;
      case 6:
        entropy.fixed +=
            act_regular_entropy<6>(agents, columns, signs, threshold, flip, state, uniforms);
        return;
      default:
        break;
    }
    const std::int64_t* offsets = graph_.row_offsets.data();
    for (const std::int32_t i : agents) {
      int k = 0;
      for (auto e = offsets[i]; e < offsets[i + 1]; ++e) k += signs[e] * state[columns[e]];
      const std::int8_t before = state[i];
      state[i] = spin_from_bit(uniforms[i] < threshold[k]);
      entropy.fixed += static_cast<std::uint64_t>((state[i] - before) / 2) * flip[k];
    }
    return;
  }
  for (const std::int32_t i : agents) {
    const double e = evidence(i, state);
    const std::int8_t before = state[i];
    state[i] = ising_agent::act(rule_, alpha_, graph_.fields[i], e, uniforms[i]);
    if (state[i] == before) continue;
    const double term =
        rule_ == ActionRule::sample_posterior
            ? state[i] * (alpha_ * ising_agent::posterior_log_odds(graph_.fields[i], e))
            : ising_agent::log_action_probability(rule_, alpha_, graph_.fields[i], e, state[i]) -
                  ising_agent::log_action_probability(rule_, alpha_, graph_.fields[i], e, before);
    if (std::isfinite(term))
      entropy.fixed += fixed_point::from_double(term);
    else
      ++entropy.infinite;
  }
}

IsingBlock::Sums IsingBlock::measure(const std::int8_t* state) const {
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
