#pragma once
// This rank's share of one sweep's entropy production, per chain: every elementary step adds
// log K(x->y) / K(y->x). The terms are summed in fixed point (agents/fixed_point.hpp) so that the
// ranks' shares add up to the same bits at every rank count; a term with an impossible reverse
// (+infinity, posterior_mode) is counted apart, since no finite sum can hold it.
#include <cmath>
#include <cstdint>
#include <vector>

#include "agents/core/fixed_point.hpp"
#include "agents/ising/ising_block.hpp"

namespace spinfer {

class EntropyTally {
 public:
  void reset(int chains) {
    fixed_.assign(static_cast<std::size_t>(chains), 0);
    infinite_.assign(static_cast<std::size_t>(chains), 0);
  }
  void add(int chain, double term) {
    if (std::isfinite(term))
      fixed_[chain] += fixed_point::from_double(term);
    else
      ++infinite_[chain];
  }
  // A block's sum, already in fixed point (IsingBlock::act_in_place).
  void add(int chain, const IsingBlock::EntropySum& sum) {
    fixed_[chain] += sum.fixed;
    infinite_[chain] += sum.infinite;
  }
  [[nodiscard]] bool active() const { return !fixed_.empty(); }
  [[nodiscard]] std::uint64_t fixed_sum(int chain) const { return fixed_[chain]; }
  [[nodiscard]] std::uint64_t infinite_terms(int chain) const { return infinite_[chain]; }

 private:
  std::vector<std::uint64_t> fixed_;
  std::vector<std::uint64_t> infinite_;
};

}  // namespace spinfer
