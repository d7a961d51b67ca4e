#pragma once
// The Ising agent family: a block of Heins agents in local numbering, laid out for the hot loop.
// Rows 0..rows()-1 are the agents that act here; their CSR columns index a state vector that may
// extend past the rows (ghost copies of neighbours owned elsewhere). No object per agent, no
// virtual call.
//
// One copy of the graph serves every temperature a run holds. Its weights W are multiplied by a
// scale s_k per call: a run at one beta stores the precisions gamma = beta J and the single scale
// 1 (multiplying by 1.0 is exact, so the evidence is sum_j gamma_ij s_j bit for bit); an ensemble
// stores J and the ladder's betas, so gamma = beta_k J is formed per update. For dense instances
// the graph is most of the memory, which is why the temperatures share it.
//
// When every |W_ij| is one value and every field one value (EA +-J, ferromagnets, bimodal SK),
// the evidence is |W| times an integer, and each scale gets a table of action thresholds instead
// of an exp() per update; energies are then integer arithmetic.
#include <cstdint>
#include <span>
#include <vector>

#include "agents/core/fixed_point.hpp"
#include "agents/core/state_hash.hpp"
#include "agents/core/weighted_graph.hpp"
#include "agents/ising/ising_agent.hpp"

namespace spinfer {

// True when every |W_ij| is one nonzero value and every field one value.
bool has_common_precision(const WeightedGraph& weights);

struct IsingBlockOptions {
  ActionRule rule = ActionRule::sample_posterior;
  double policy_precision = 1.0;  // alpha of ising_agent.hpp (finite, >= 0)
  // Must be decided from the whole population (has_common_precision on the global graph), never
  // from one rank's rows: the table and the general path can differ in the last bit of a
  // probability, and the trajectory must not depend on the decomposition.
  bool lookup_allowed = false;
  // Keep each agent's normaliser, for measure_with_free_energy().
  bool free_energy = false;
  // act_one() reads the lookup table too. Ensemble runs were written that way and runs at one
  // beta the other (general formula); both are kept so that no existing trajectory changes.
  bool tabled_single_updates = false;
};

class IsingBlock {
 public:
  using State = std::int8_t;

  // How the family's states start, travel (checkpoints, one byte each) and enter the run's
  // state hash: a spin is up when the top bit of its random word is set; 1 for +1, 0 for -1.
  static State random_state(std::uint32_t word) { return (word >> 31) ? 1 : -1; }
  static char to_byte(State s) { return s > 0 ? 1 : 0; }
  static State from_byte(char b) { return b != 0 ? 1 : -1; }
  static std::uint64_t state_hash(std::uint64_t system, std::uint64_t agent, State s) {
    return agent_state_hash(system, agent, s);
  }
  // A state in the observers' integer sums (magnetizations, overlaps), exact for spins.
  static std::int64_t value(State s) { return s; }
  static std::int64_t product(State a, State b) { return a * b; }

  // Throws spinfer::Error unless the policy precision and every scale are finite and >= 0.
  IsingBlock(WeightedGraph local_weights, std::vector<double> scales,
             const IsingBlockOptions& options);
  // A run at one beta: `local_precisions` are gamma, the scale is 1, free energies are kept.
  IsingBlock(WeightedGraph local_precisions, ActionRule rule, bool lookup_allowed,
             double policy_precision = 1.0);

  // The same agents, options and scales on another local graph of the same rows (a schedule
  // that rewires where edges read from, as the stale schedule does).
  [[nodiscard]] IsingBlock rewired(WeightedGraph local_weights) const;

  [[nodiscard]] std::int64_t rows() const { return graph_.size(); }
  [[nodiscard]] const WeightedGraph& weights() const { return graph_; }
  [[nodiscard]] bool uses_lookup_table() const { return discrete_; }
  [[nodiscard]] ActionRule rule() const { return options_.rule; }
  [[nodiscard]] double policy_precision() const { return options_.policy_precision; }
  [[nodiscard]] int temperatures() const { return static_cast<int>(scales_.size()); }
  [[nodiscard]] double scale(int k) const { return scales_[k]; }
  [[nodiscard]] const std::vector<double>& scales() const { return scales_; }
  // Replaces the scales (retuning, annealing); their number may change.
  void set_scales(std::vector<double> scales);

  // Every listed agent acts at scale k on `state_in` and writes its new spin to `state_out` (the
  // same array for sequential and colour phases, a second buffer for synchronous updates).
  // uniforms[row] is the agent's 32-bit uniform for this sweep.
  void act(std::span<const std::int32_t> agents, int k, const State* state_in, State* state_out,
           const std::uint32_t* uniforms) const;
  // act() that also returns sum_i s_i k_i over the agents (new spin times integer evidence) on
  // the lookup path, 0 on the general path. When the graph is bipartite and these agents are the
  // second colour of a chromatic sweep, their k_i are final and the sum counts every edge once:
  // the sweep's energy comes free (energy_fixed(2 sum, spins)).
  std::int64_t act_counting_bonds(std::span<const std::int32_t> agents, int k,
                                  const State* state_in, State* state_out,
                                  const std::uint32_t* uniforms) const;

  // Entropy production of agents acting in place: every flip to s adds log_flip_ratio, rounded
  // to fixed point term by term (fixed_point.hpp) so that sums over blocks do not depend on how
  // the population is split; a flip with an impossible reverse (posterior_mode) is counted in
  // `infinite` instead.
  struct EntropySum {
    std::uint64_t fixed = 0;
    std::uint64_t infinite = 0;
  };
  void act_in_place(std::span<const std::int32_t> agents, int k, State* state,
                    const std::uint32_t* uniforms, EntropySum& entropy) const;

  // One agent acting with an explicit uniform (random sequential updates).
  [[nodiscard]] State act_one(std::int32_t row, int k, const State* state,
                              std::uint32_t uniform) const;

  // log P(agent `row` acts s | state) at scale k: the terms of the entropy production.
  [[nodiscard]] double log_action_probability(std::int32_t row, int k, const State* state,
                                              int s) const;
  // log P(acts s_new | state) - log P(acts -s_new | state): the entropy production of a flip to
  // s_new when the agent's evidence is the same before and after it (sequential updates and
  // colour phases). Under sample_posterior it is s_new times the log-odds, with no exp or log;
  // posterior_mode gives +infinity for a flip to the mode, 0 on a tie.
  [[nodiscard]] double log_flip_ratio(std::int32_t row, int k, const State* state, int s_new) const;

  // sum_j W_ij s_j (unscaled).
  [[nodiscard]] double evidence(std::int32_t row, const State* state) const;

  // Sums over all rows, in the units of W: each edge counts half in each of its two rows, so the
  // sums over all blocks add up to the whole energy. Fixed point (fixed_point.hpp) so that the
  // blocks' sums add up to the same bits however the population is split.
  struct Sums {
    std::int64_t spin = 0;
    std::uint64_t energy_fixed = 0;
    std::uint64_t free_energy_fixed = 0;  // measure_with_free_energy only
    [[nodiscard]] double energy() const { return fixed_point::to_double(energy_fixed); }
    [[nodiscard]] double free_energy() const { return fixed_point::to_double(free_energy_fixed); }
  };
  // Spin and energy; on the lookup path from integer bond sums (a fraction of a sweep's cost).
  [[nodiscard]] Sums measure(const State* state) const;
  // Spin, energy and the sum of the agents' free energies at scale 1 (a run at one beta), each
  // agent's terms computed from its evidence in floating point.
  [[nodiscard]] Sums measure_with_free_energy(const State* state) const;

  // Lookup path: the fixed-point energy of rows with sum_i s_i k_i = bonds and sum_i s_i = spins
  // (each edge counted in both its rows), the same bits as measure() on those rows.
  [[nodiscard]] std::uint64_t energy_fixed(std::int64_t bonds, std::int64_t spins) const;
  // Lookup path: whether the field term needs the spin sum at all (field != 0).
  [[nodiscard]] bool energy_needs_spins() const { return field_fixed_ != 0; }

 private:
  IsingBlock(WeightedGraph local_weights, const IsingBlockOptions& options);
  [[nodiscard]] const std::uint64_t* thresholds(int k) const {
    return threshold_.data() + k * (2 * max_degree_ + 1) + max_degree_;
  }
  [[nodiscard]] double field(std::int32_t row, int k) const {
    return scales_[k] * graph_.fields[row];
  }

  WeightedGraph graph_;
  IsingBlockOptions options_;
  std::vector<double> scales_;
  bool discrete_ = false;
  double unit_ = 0;   // the common |W| (lookup path)
  double field_ = 0;  // the common field (lookup path)
  std::int64_t max_degree_ = 0;
  std::int64_t regular_degree_ = 0;        // every row's degree when they are all equal, else 0
  std::vector<std::int8_t> signs_;         // sign of W per edge (lookup path)
  std::vector<std::uint64_t> threshold_;   // [k * (2 D + 1) + evidence + D] (lookup path)
  std::vector<std::uint64_t> flip_fixed_;  // fixed-point log-odds, same indexing (lookup path)
  std::uint64_t bond_fixed_ = 0;           // -|W| / 2 and -field in fixed point (lookup path)
  std::uint64_t field_fixed_ = 0;
  std::vector<double> log_normaliser_;  // per row, for the free energy (options.free_energy)
};

}  // namespace spinfer
