#pragma once
// This rank's share of the population, acting as one MPI actor: the agents it owns in every
// chain, their ghost neighbours, and the schedule that makes them act.
#include <memory>
#include <string_view>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/ising_block.hpp"
#include "comm/communicator.hpp"
#include "runtime/decomposition/chain_states.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/schedules/schedule.hpp"

namespace spinfer {

struct CollectiveSpec {
  ScheduleKind schedule = ScheduleKind::chromatic;
  ActionRule action = ActionRule::sample_posterior;
  double policy_precision = 1.0;  // alpha (ising_agent.hpp)
  int chains = 1;
  std::uint64_t seed = 1;
  std::vector<ClampedAgent> clamped;
  int staleness = 0;  // stale schedule: d
  // Stale schedule: agents of one block read each other fresh; none: every agent is a block.
  std::optional<Partition> stale_domains;
};

// True for the schedules whose agents act in colour phases.
bool uses_colour_phases(ScheduleKind schedule);

// `domains` contiguous blocks (lattice slabs) of the population, or none for 0. Throws
// spinfer::Error naming stale_domains when there are not enough agents or planes.
std::optional<Partition> stale_domain_partition(const AgentPopulation& agents, int domains);

// Random-sequential runs keep everything on rank 0; the others cut the population into
// balanced contiguous blocks (lattice slabs). Throws spinfer::Error for impossible rank counts.
Partition partition_for(const AgentPopulation& agents, ScheduleKind schedule, int ranks);

class Collective {
 public:
  // Collective: builds the halo plans with the other ranks.
  Collective(const comm::Communicator& comm, const AgentPopulation& agents,
             const Partition& partition, const CollectiveSpec& spec);

  // With `tally_entropy` the sweep's entropy production is left in entropy_tally().
  void sweep(std::uint64_t sweep_index, bool tally_entropy = false) {
    if (tally_entropy) tally_.reset(states_.chains());
    schedule_->sweep(block_, states_, sweep_index, tally_entropy ? &tally_ : nullptr);
  }
  // Collective. Brings the ghosts up to date (only the asynchronous schedule lets them lag).
  void synchronise() { schedule_->synchronise(states_); }

  [[nodiscard]] const EntropyTally& entropy_tally() const { return tally_; }
  [[nodiscard]] const Schedule& schedule() const { return *schedule_; }

  [[nodiscard]] const LocalDomain& domain() const { return domain_; }
  [[nodiscard]] const IsingBlock& block() const { return block_; }
  [[nodiscard]] const ChainStates& states() const { return states_; }
  [[nodiscard]] const std::vector<std::int32_t>& free_rows() const { return free_rows_; }
  [[nodiscard]] int colours() const { return colouring_.colours; }
  // The colouring the colour phases follow (empty for the other schedules).
  [[nodiscard]] const Colouring& colouring() const { return colouring_; }
  // Position of this rank's first edge in the global CSR arrays (local edges follow in order).
  [[nodiscard]] std::int64_t global_edge_offset() const { return global_edge_offset_; }
  [[nodiscard]] std::int64_t global_edges() const { return global_edges_; }

  // Chain c's owned spins as checkpoint bytes (1 for +1, 0 for -1), in global id order.
  [[nodiscard]] std::vector<std::int8_t> owned_bytes(int chain) const;
  // Sets every slot of chain c, ghosts included, from a whole population's bytes (as above).
  // Throws spinfer::Error when the size does not match.
  void restore_chain(int chain, std::string_view bytes);
  // The schedule's delayed states (stale schedule), as Schedule::history_bytes and
  // restore_history describe; `completed` sweeps have been done.
  [[nodiscard]] int history_length() const { return schedule_->history_length(); }
  [[nodiscard]] std::vector<std::int8_t> history_bytes(int chain, int index,
                                                       std::int64_t completed) const {
    return schedule_->history_bytes(chain, index, completed);
  }
  // Throws spinfer::Error when the size does not match.
  void restore_history(int chain, int index, std::int64_t completed, std::string_view bytes);

  // A hash of every chain's global state that does not depend on the decomposition (a
  // wrapping sum of per-agent hashes). Collective.
  [[nodiscard]] std::uint64_t state_hash(const comm::Communicator& comm) const;

 private:
  LocalDomain domain_;
  std::int64_t global_edge_offset_;
  std::int64_t global_edges_;
  Colouring colouring_;
  IsingBlock block_;
  ChainStates states_;
  std::vector<std::int32_t> free_rows_;
  std::unique_ptr<Schedule> schedule_;
  EntropyTally tally_;
};

}  // namespace spinfer
