#pragma once
// A block of Heins agents in local numbering, laid out for the hot loop: rows 0..rows()-1 are
// the agents that act here, and their CSR columns index a state vector that may extend past the
// rows (ghost copies of neighbours owned elsewhere). No object per agent, no virtual call.
//
// When every |gamma_ij| is one value g and every zeta_i one value z (EA +-J, ferromagnets,
// bimodal SK), the evidence is g times an integer, and the action threshold comes from a table
// instead of an exp() per update.
#include <cstdint>
#include <span>
#include <vector>

#include "agents/core/fixed_point.hpp"
#include "agents/core/weighted_graph.hpp"
#include "agents/ising/ising_agent.hpp"

namespace spinfer {

// True when every |gamma_ij| is one nonzero value and every zeta_i one value.
bool has_common_precision(const WeightedGraph& precisions);

class IsingBlock {
 public:
  // `lookup_allowed` must be decided from the whole population (has_common_precision on the
  // global graph), never from one rank's rows: the table and the general path can differ in the
  // last bit of a probability, and the trajectory must not depend on the decomposition.
  // `policy_precision` is alpha of ising_agent.hpp (finite, >= 0; throws spinfer::Error).
  IsingBlock(WeightedGraph local_precisions, ActionRule rule, bool lookup_allowed,
             double policy_precision = 1.0);

  [[nodiscard]] std::int64_t rows() const { return graph_.size(); }
  [[nodiscard]] const WeightedGraph& precisions() const { return graph_; }
  [[nodiscard]] bool uses_lookup_table() const { return discrete_; }
  [[nodiscard]] ActionRule rule() const { return rule_; }
  [[nodiscard]] double policy_precision() const { return alpha_; }

  // Every agent listed acts on `state_in` and writes its new spin to `state_out` (the same array
  // for sequential and chromatic phases, a second buffer for synchronous updates).
  // uniforms[row] is the agent's 32-bit uniform for this sweep.
  void act(std::span<const std::int32_t> agents, const std::int8_t* state_in,
           std::int8_t* state_out, const std::uint32_t* uniforms) const;

  // Entropy production of agents acting in place (a colour phase): every flip to s adds
  // log_flip_ratio, rounded to fixed point term by term (fixed_point.hpp) so that sums over
  // blocks do not depend on how the population is split; a flip with an impossible reverse
  // (posterior_mode) is counted in `infinite` instead.
  struct EntropySum {
    std::uint64_t fixed = 0;
    std::uint64_t infinite = 0;
  };
  // act() on one state, in place, adding the flips' entropy production to `entropy`.
  void act_in_place(std::span<const std::int32_t> agents, std::int8_t* state,
                    const std::uint32_t* uniforms, EntropySum& entropy) const;

  // One agent acting with an explicit uniform (random sequential updates).
  std::int8_t act_one(std::int32_t row, const std::int8_t* state, std::uint32_t uniform) const {
    return ising_agent::act(rule_, alpha_, graph_.fields[row], evidence(row, state), uniform);
  }

  // log P(agent `row` acts s | state): the terms of the entropy production along a trajectory.
  [[nodiscard]] double log_action_probability(std::int32_t row, const std::int8_t* state,
                                              int s) const {
    return ising_agent::log_action_probability(rule_, alpha_, graph_.fields[row],
                                               evidence(row, state), s);
  }

  // log P(acts s_new | state) - log P(acts -s_new | state): the entropy production of a flip to
  // s_new when the agent's evidence is the same before and after it (sequential updates and
  // colour phases). Under sample_posterior it is s_new times the log-odds, with no exp or log;
  // posterior_mode gives +infinity for a flip to the mode, 0 on a tie.
  [[nodiscard]] double log_flip_ratio(std::int32_t row, const std::int8_t* state, int s_new) const {
    const double e = evidence(row, state);
    if (rule_ == ActionRule::sample_posterior)
      return s_new * (alpha_ * ising_agent::posterior_log_odds(graph_.fields[row], e));
    return ising_agent::log_action_probability(rule_, alpha_, graph_.fields[row], e, s_new) -
           ising_agent::log_action_probability(rule_, alpha_, graph_.fields[row], e, -s_new);
  }

  [[nodiscard]] double evidence(std::int32_t row, const std::int8_t* state) const;

  // Sums over all rows. energy is in precision units, beta E restricted to these rows: each
  // edge counts half in each of its two rows, so the sums over all blocks add up to beta E.
  // Energies are fixed-point (fixed_point.hpp) so that the blocks' sums add up to the same bits
  // however the population is split.
  struct Sums {
    std::int64_t spin = 0;
    std::uint64_t energy_fixed = 0;
    std::uint64_t free_energy_fixed = 0;
    [[nodiscard]] double energy() const { return fixed_point::to_double(energy_fixed); }
    [[nodiscard]] double free_energy() const { return fixed_point::to_double(free_energy_fixed); }
  };
  [[nodiscard]] Sums measure(const std::int8_t* state) const;

 private:
  WeightedGraph graph_;
  ActionRule rule_;
  double alpha_;
  bool discrete_ = false;
  std::vector<std::int8_t> signs_;         // sign of gamma per edge (lookup path)
  std::vector<std::uint64_t> threshold_;   // by integer evidence + max_degree_ (lookup path)
  std::vector<std::uint64_t> flip_fixed_;  // fixed-point log-odds by integer evidence (lookup)
  std::int64_t max_degree_ = 0;
  std::int64_t regular_degree_ = 0;     // every row's degree when they are all equal, else 0
  std::vector<double> log_normaliser_;  // per row, for the free energy
};

}  // namespace spinfer
