#pragma once
// This rank's share of a run's systems, acting as one MPI actor: the independent chains of a run
// at one beta, or the replicas x temperatures of an ensemble, are both "systems" of one
// population. The ranks form layout.groups groups; each group holds a contiguous block of the
// systems whole and cuts each of them over its ranks (lattice slabs, contiguous blocks) with
// ghost copies of remote neighbours. A run at one beta is one group of every rank.
//
// Generic over the agent family (its block class: act, measure, State); the hot loops are the
// block's, the order of turns the schedule's (schedules/registry.hpp).
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "comm/communicator.hpp"
#include "runtime/decomposition/ensemble_layout.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/decomposition/partition.hpp"
#include "runtime/decomposition/system_states.hpp"
#include "runtime/schedules/registry.hpp"

namespace spinfer {

template <class Block>
struct PopulationSpec {
  using State = typename Block::State;
  RunConfig::Schedule schedule = RunConfig::chromatic;
  std::uint64_t seed = 1;
  EnsembleLayout layout;
  // The whole population's graph in the units the block acts with (gamma for a run at one beta,
  // J for an ensemble), and its cut inside every group.
  const WeightedGraph* graph = nullptr;
  Partition partition;
  std::vector<ClampedAgent> clamped;
  int staleness = 0;  // stale schedule: d
  std::optional<Partition> stale_domains;
  // This rank's block from its local graph (rows: owned agents; columns: local slots).
  std::function<Block(WeightedGraph local)> make_block;
  // The start of system s, one value per agent; empty: random values keyed by (seed, system,
  // agent), clamped agents at their clamp.
  std::function<std::vector<State>(int system)> initial_state;
  // Let a sweep leave each system's bond sum when it can (Population::local_sums), for runs
  // that measure energies often (ensembles swap on them).
  bool count_bonds = false;
};

// Every partition inside a group: one rank holds everything for single-owner schedules (random
// sequential), else balanced contiguous blocks (lattice slabs). Throws spinfer::Error as
// balanced_partition does.
Partition partition_for_schedule(const WeightedGraph& graph,
                                 const std::optional<LatticeShape>& lattice,
                                 RunConfig::Schedule schedule, int ranks);

template <class Block>
class Population {
 public:
  using State = typename Block::State;

  // Collective over `world`: splits it into groups and builds the halo plans.
  Population(const comm::Communicator& world, const PopulationSpec<Block>& spec);

  // Every local system acts once; temperature_of[s] is global system s's scale index. With
  // `tally_entropy` the sweep's entropy production is left in entropy_tally().
  void sweep(std::uint64_t sweep_index, std::span<const int> temperature_of,
             bool tally_entropy = false);
  // Collective. Brings the ghosts up to date (only the asynchronous schedule lets them lag).
  void synchronise() { schedule_->synchronise(states_); }

  [[nodiscard]] const EnsembleLayout& layout() const { return layout_; }
  [[nodiscard]] int group() const { return group_; }
  [[nodiscard]] const comm::Communicator& group_comm() const { return group_comm_; }
  // The ranks at this rank's position in every group, in group order: they own the same agents,
  // so values of one agent in systems of different groups meet there.
  [[nodiscard]] const comm::Communicator& cross_comm() const { return cross_comm_; }
  [[nodiscard]] int first_system() const { return layout_.first_system[group_]; }
  [[nodiscard]] int local_systems() const { return states_.systems(); }
  [[nodiscard]] bool holds(int system) const {
    return system >= first_system() && system < first_system() + local_systems();
  }
  [[nodiscard]] const LocalDomain& domain() const { return domain_; }
  [[nodiscard]] Block& block() { return block_; }
  [[nodiscard]] const Block& block() const { return block_; }
  [[nodiscard]] const SystemStates<State>& states() const { return states_; }
  [[nodiscard]] const State* values(int local) const { return states_.system(local); }
  [[nodiscard]] const std::vector<std::int32_t>& free_rows() const { return free_rows_; }
  [[nodiscard]] int colours() const { return colouring_.colours; }
  // The colouring the colour phases follow (empty for the other schedules).
  [[nodiscard]] const Colouring& colouring() const { return colouring_; }
  [[nodiscard]] const Schedule<Block>& schedule() const { return *schedule_; }
  [[nodiscard]] const EntropyTally& entropy_tally() const { return tally_; }
  // Position of this rank's first edge in the global CSR arrays (local edges follow in order).
  [[nodiscard]] std::int64_t global_edge_offset() const { return global_edge_offset_; }
  [[nodiscard]] std::int64_t global_edges() const { return global_edges_; }

  // This rank's spin and energy sums of local system c (Block::measure); they add up over the
  // ranks of the group to the system's totals. From the last sweep's bond sums when it left
  // them (a bipartite chromatic sweep on the lookup path), else measured.
  [[nodiscard]] typename Block::Sums local_sums(int local) const;
  // Fixed-point energy of every system, identical on every rank. Collective over `world`.
  [[nodiscard]] std::vector<std::uint64_t> energies(const comm::Communicator& world) const;

  // Local system c's owned values as checkpoint bytes (Block::to_byte), in global id order, and
  // setting every slot of it from a whole population's bytes (throws spinfer::Error on a size
  // mismatch, naming `what`).
  [[nodiscard]] std::vector<std::int8_t> owned_bytes(int local) const;
  void restore_system(int local, std::string_view bytes, const std::string& what);
  // The schedule's delayed states (stale schedule), as Schedule::history describes.
  [[nodiscard]] int history_length() const { return schedule_->history_length(); }
  [[nodiscard]] std::vector<std::int8_t> history_bytes(int local, int index,
                                                       std::int64_t completed) const;
  void restore_history(int local, int index, std::int64_t completed, std::string_view bytes,
                       const std::string& what);

  // A hash of every system's global state that does not depend on the decomposition or the
  // layout (a wrapping sum of per-agent hashes keyed by system id). Collective over `world`.
  [[nodiscard]] std::uint64_t state_hash(const comm::Communicator& world) const;

 private:
  std::vector<State> slot_values(std::string_view bytes, const std::string& what) const;

  EnsembleLayout layout_;
  int group_;
  comm::Communicator group_comm_;
  comm::Communicator cross_comm_;
  LocalDomain domain_;
  std::int64_t global_edge_offset_;
  std::int64_t global_edges_;
  Colouring colouring_;
  Block block_;
  SystemStates<State> states_;
  std::vector<std::int32_t> free_rows_;
  std::unique_ptr<Schedule<Block>> schedule_;
  EntropyTally tally_;
  std::vector<int> systems_;         // global ids of the local systems
  std::vector<int> temperature_;     // their scale indices, refreshed every sweep
  std::vector<std::int64_t> bonds_;  // per local system, from the last sweep when fresh
  bool count_bonds_;
  bool bonds_fresh_ = false;
};

}  // namespace spinfer
