#include "agents/ising/ladder_block.hpp"

#include <algorithm>
#include <cmath>

#include "agents/core/error.hpp"
#include "agents/ising/ising_agent.hpp"

namespace spinfer {
namespace {

void require_betas(const std::vector<double>& betas) {
  if (betas.empty()) throw field_error("temperatures", 0, "need at least one beta");
  for (double b : betas)
    if (!std::isfinite(b) || b < 0) throw field_error("beta", b, "must be finite and >= 0");
}

inline std::int8_t spin_from_bit(bool up) {
  return static_cast<std::int8_t>(2 * int{up} - 1);
}

// As in ising_block.cpp: rows of exactly D edges unroll completely. With Count, also returns
// sum_i s_i' k_i over the agents (new spin times integer evidence).
template <int D, bool Count>
std::int64_t act_regular(std::span<const std::int32_t> agents, const std::int32_t* columns,
                         const std::int8_t* signs, const std::uint64_t* threshold,
                         const std::int8_t* state_in, std::int8_t* state_out,
                         const std::uint32_t* uniforms) {
  std::int64_t bonds = 0;
  for (const std::int32_t i : agents) {
    const std::int64_t e = static_cast<std::int64_t>(i) * D;
    int k = 0;
    for (int d = 0; d < D; ++d) k += signs[e + d] * state_in[columns[e + d]];
    const std::int8_t s = spin_from_bit(uniforms[i] < threshold[k]);
    state_out[i] = s;
    if constexpr (Count) bonds += s * k;
  }
  return bonds;
}

// sum_i s_i k_i and sum_i s_i, k_i = sum_j sign_ij s_j: plain integer sums the compiler can
// vectorise, so that an energy costs well under a sweep.
template <int D>
void bond_sums_regular(std::int64_t rows, const std::int32_t* columns, const std::int8_t* signs,
                       const std::int8_t* state, std::int64_t& bonds, std::int64_t& spins) {
  std::int64_t b = 0, s = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const std::int64_t e = i * D;
    int k = 0;
    for (int d = 0; d < D; ++d) k += signs[e + d] * state[columns[e + d]];
    b += state[i] * k;
    s += state[i];
  }
  bonds = b;
  spins = s;
}

}  // namespace

LadderBlock::LadderBlock(WeightedGraph local_couplings, std::vector<double> betas,
                         bool lookup_allowed)
    : graph_(std::move(local_couplings)) {
  const auto n = graph_.size();
  for (std::int64_t i = 0; i < n; ++i) max_degree_ = std::max(max_degree_, graph_.degree(i));
  regular_degree_ = max_degree_;
  for (std::int64_t i = 0; i < n; ++i)
    if (graph_.degree(i) != max_degree_) regular_degree_ = 0;
  // The same test as has_common_precision, on J instead of beta J (the same answer for beta > 0).
  discrete_ = lookup_allowed && !graph_.weights.empty() && !graph_.fields.empty();
  if (discrete_) {
    unit_ = std::fabs(graph_.weights.front());
    field_ = graph_.fields.front();
    discrete_ = unit_ > 0;
    for (double w : graph_.weights) discrete_ = discrete_ && std::fabs(w) == unit_;
    for (double h : graph_.fields) discrete_ = discrete_ && h == field_;
  }
  if (discrete_) {
    signs_.resize(graph_.weights.size());
    std::transform(graph_.weights.begin(), graph_.weights.end(), signs_.begin(),
                   [](double w) { return static_cast<std::int8_t>(w > 0 ? 1 : -1); });
    // E = -(|J| / 2) sum_i s_i k_i - h sum_i s_i: fixed-point multiples of two integer sums,
    // exact integer arithmetic, so every split of the rows adds up to the same bits.
    bond_fixed_ = fixed_point::from_double(-0.5 * unit_);
    field_fixed_ = fixed_point::from_double(-field_);
  }
  set_betas(std::move(betas));
}

void LadderBlock::set_betas(std::vector<double> betas) {
  require_betas(betas);
  betas_ = std::move(betas);
  if (!discrete_) return;
  const std::int64_t width = 2 * max_degree_ + 1;
  thresholds_.resize(betas_.size() * static_cast<std::size_t>(width));
  for (std::size_t t = 0; t < betas_.size(); ++t) {
    // Written as IsingBlock computes it from the precisions beta J: |beta J| = beta |J| exactly.
    const double unit = betas_[t] * unit_;
    const double zeta = betas_[t] * field_;
    for (std::int64_t k = -max_degree_; k <= max_degree_; ++k)
      thresholds_[t * width + k + max_degree_] = ising_agent::up_threshold(
          ising_agent::action_up(1.0, zeta, unit * static_cast<double>(k)));
  }
}

double LadderBlock::local_field(std::int32_t row, const std::int8_t* state) const {
  double sum = 0;
  for (auto e = graph_.row_offsets[row]; e < graph_.row_offsets[row + 1]; ++e)
    sum += graph_.weights[e] * state[graph_.columns[e]];
  return sum;
}

template <bool Count>
std::int64_t LadderBlock::act_lookup(std::span<const std::int32_t> agents, int k,
                                     const std::int8_t* state_in, std::int8_t* state_out,
                                     const std::uint32_t* uniforms) const {
  const std::int64_t* offsets = graph_.row_offsets.data();
  const std::int32_t* columns = graph_.columns.data();
  const std::int8_t* signs = signs_.data();
  const std::uint64_t* threshold = thresholds_.data() + k * (2 * max_degree_ + 1) + max_degree_;
  switch (regular_degree_) {
    case 4:
      return act_regular<4, Count>(agents, columns, signs, threshold, state_in, state_out,
                                   uniforms);
    case 6:
      return act_regular<6, Count>(agents, columns, signs, threshold, state_in, state_out,
                                   uniforms);
    default:
      break;
  }
  std::int64_t bonds = 0;
  for (const std::int32_t i : agents) {
    int sum = 0;
    for (auto e = offsets[i]; e < offsets[i + 1]; ++e) sum += signs[e] * state_in[columns[e]];
    const std::int8_t s = spin_from_bit(uniforms[i] < threshold[sum]);
    state_out[i] = s;
    if constexpr (Count) bonds += s * sum;
  }
  return bonds;
}

void LadderBlock::act(std::span<const std::int32_t> agents, int k, const std::int8_t* state_in,
                      std::int8_t* state_out, const std::uint32_t* uniforms) const {
  if (discrete_) {
    act_lookup<false>(agents, k, state_in, state_out, uniforms);
    return;
  }
  for (const std::int32_t i : agents) state_out[i] = act_one(i, k, state_in, uniforms[i]);
}

std::int64_t LadderBlock::act_counting_bonds(std::span<const std::int32_t> agents, int k,
                                             const std::int8_t* state_in, std::int8_t* state_out,
                                             const std::uint32_t* uniforms) const {
  if (discrete_) return act_lookup<true>(agents, k, state_in, state_out, uniforms);
  act(agents, k, state_in, state_out, uniforms);
  return 0;
}

std::uint64_t LadderBlock::energy_fixed(std::int64_t bonds, std::int64_t spins) const {
  return static_cast<std::uint64_t>(bonds) * bond_fixed_ +
         static_cast<std::uint64_t>(spins) * field_fixed_;
}

std::int8_t LadderBlock::act_one(std::int32_t row, int k, const std::int8_t* state,
                                 std::uint32_t uniform) const {
  if (discrete_) {
    int sum = 0;
    for (auto e = graph_.row_offsets[row]; e < graph_.row_offsets[row + 1]; ++e)
      sum += signs_[e] * state[graph_.columns[e]];
    return spin_from_bit(uniform < thresholds_[k * (2 * max_degree_ + 1) + sum + max_degree_]);
  }
  const double beta = betas_[k];
  return ising_agent::act(ActionRule::sample_posterior, 1.0, beta * graph_.fields[row],
                          beta * local_field(row, state), uniform);
}

LadderBlock::Sums LadderBlock::measure(const std::int8_t* state) const {
  Sums sums;
  if (discrete_) {
    std::int64_t bonds = 0;
    const std::int32_t* columns = graph_.columns.data();
    const std::int8_t* signs = signs_.data();
    switch (regular_degree_) {
      case 4:
        bond_sums_regular<4>(rows(), columns, signs, state, bonds, sums.spin);
        break;
      case 6:
        bond_sums_regular<6>(rows(), columns, signs, state, bonds, sums.spin);
        break;
      default:
        for (std::int64_t i = 0; i < rows(); ++i) {
          int k = 0;
          for (auto e = graph_.row_offsets[i]; e < graph_.row_offsets[i + 1]; ++e)
            k += signs[e] * state[columns[e]];
          bonds += state[i] * k;
          sums.spin += state[i];
        }
    }
    sums.energy_fixed = energy_fixed(bonds, sums.spin);
    return sums;
  }
  for (std::int64_t i = 0; i < rows(); ++i) {
    const auto row = static_cast<std::int32_t>(i);
    sums.spin += state[i];
    sums.energy_fixed +=
        fixed_point::from_double(-state[i] * (0.5 * local_field(row, state) + graph_.fields[i]));
  }
  return sums;
}

}  // namespace spinfer
