#pragma once
// A block of agents that may act at any inverse temperature of a ladder: the rows and columns of
// IsingBlock, but the weights are the couplings J_ij and fields h_i themselves (units of J), and
// the precisions gamma = beta_k J, zeta = beta_k h are applied per call. One copy of the graph
// serves every temperature of a parallel-tempering run, which matters for dense instances, where
// the graph is most of the memory.
//
// When every |J_ij| is one value and every h_i one value, the evidence is |J| times an integer
// and each temperature gets its own table of action thresholds; the energy is then integer
// arithmetic, so measuring costs a fraction of a sweep.
#include <cstdint>
#include <span>
#include <vector>

#include "agents/core/fixed_point.hpp"
#include "agents/core/weighted_graph.hpp"

namespace spinfer {

class LadderBlock {
 public:
  // `local_couplings` holds J_ij and h_i; columns index a state vector that may extend past the
  // rows (ghosts). `lookup_allowed` must be decided from the whole population, as for IsingBlock.
  // Throws spinfer::Error unless every beta is finite and >= 0.
  LadderBlock(WeightedGraph local_couplings, std::vector<double> betas, bool lookup_allowed);

  [[nodiscard]] std::int64_t rows() const { return graph_.size(); }
  [[nodiscard]] const WeightedGraph& couplings() const { return graph_; }
  [[nodiscard]] bool uses_lookup_table() const { return discrete_; }
  [[nodiscard]] int temperatures() const { return static_cast<int>(betas_.size()); }
  [[nodiscard]] double beta(int k) const { return betas_[k]; }
  [[nodiscard]] const std::vector<double>& betas() const { return betas_; }

  // Replaces the ladder (retuning, annealing); the number of temperatures may change.
  void set_betas(std::vector<double> betas);

  // Every listed agent acts at beta_k on `state_in` and writes to `state_out` (the same array for
  // chromatic phases). uniforms[row] is the agent's 32-bit uniform. With a single temperature
  // the decisions are those of IsingBlock on the precisions beta J, bit for bit, on the lookup
  // path; the general path multiplies the evidence by beta after summing (last-bit differences).
  void act(std::span<const std::int32_t> agents, int k, const std::int8_t* state_in,
           std::int8_t* state_out, const std::uint32_t* uniforms) const;
  [[nodiscard]] std::int8_t act_one(std::int32_t row, int k, const std::int8_t* state,
                                    std::uint32_t uniform) const;

  // act() that also returns sum_i s_i k_i over the agents (their new spins times their integer
  // evidence k_i = sum_j sign(J_ij) s_j) on the lookup path, 0 on the general path. When the graph
  // is bipartite and these agents are the second colour of a chromatic sweep, their k_i are final
  // and the sum counts every edge once: the sweep's energy comes free (energy_fixed(2 sum, ...)).
  std::int64_t act_counting_bonds(std::span<const std::int32_t> agents, int k,
                                  const std::int8_t* state_in, std::int8_t* state_out,
                                  const std::uint32_t* uniforms) const;

  // Lookup path: the fixed-point energy of rows with sum_i s_i k_i = bonds and sum_i s_i = spins
  // (each edge counted in both its rows), the same bits as measure() on those rows.
  [[nodiscard]] std::uint64_t energy_fixed(std::int64_t bonds, std::int64_t spins) const;
  // Lookup path: whether the field term needs the spin sum at all (h != 0).
  [[nodiscard]] bool energy_needs_spins() const { return field_fixed_ != 0; }

  // sum_j J_ij s_j, units of J.
  [[nodiscard]] double local_field(std::int32_t row, const std::int8_t* state) const;

  // Sums over the rows: spins, and the energy E in units of J with each edge counted half in each
  // of its two rows (so blocks add up to E), fixed-point so that any split gives the same bits.
  struct Sums {
    std::int64_t spin = 0;
    std::uint64_t energy_fixed = 0;
  };
  [[nodiscard]] Sums measure(const std::int8_t* state) const;

 private:
  template <bool Count>
  std::int64_t act_lookup(std::span<const std::int32_t> agents, int k, const std::int8_t* state_in,
                          std::int8_t* state_out, const std::uint32_t* uniforms) const;

  WeightedGraph graph_;
  std::vector<double> betas_;
  bool discrete_ = false;
  double unit_ = 0;   // the common |J| (lookup path)
  double field_ = 0;  // the common h (lookup path)
  std::int64_t max_degree_ = 0;
  std::int64_t regular_degree_ = 0;
  std::vector<std::int8_t> signs_;
  std::vector<std::uint64_t> thresholds_;  // [k * (2 D + 1) + evidence + D]
  std::uint64_t bond_fixed_ = 0;           // -|J| / 2 and -h in fixed point (lookup path)
  std::uint64_t field_fixed_ = 0;
};

}  // namespace spinfer
