#pragma once
// This rank's share of the population, acting as one MPI actor: the agents it owns in every
// chain, their ghost neighbours, and the schedule that makes them act.
#include <memory>
#include <string_view>
#include <vector>

#include "agents/agent_population.hpp"
#include "agents/colouring.hpp"
#include "agents/exact_oracle.hpp"
#include "agents/ising_block.hpp"
#include "chain_states.hpp"
#include "comm/communicator.hpp"
#include "local_domain.hpp"
#include "schedule.hpp"

namespace spinfer {

struct CollectiveSpec {
  ScheduleKind schedule = ScheduleKind::chromatic;
  ActionRule action = ActionRule::sample_posterior;
  int chains = 1;
  std::uint64_t seed = 1;
  std::vector<ClampedAgent> clamped;
};

// Random-sequential runs keep everything on rank 0; the others cut the population into
// balanced contiguous blocks (lattice slabs). Throws spinfer::Error for impossible rank counts.
Partition partition_for(const AgentPopulation& agents, ScheduleKind schedule, int ranks);

class Collective {
 public:
  // Collective: builds the halo plans with the other ranks.
  Collective(const comm::Communicator& comm, const AgentPopulation& agents,
             const Partition& partition, const CollectiveSpec& spec);

  void sweep(std::uint64_t sweep_index) { schedule_->sweep(block_, states_, sweep_index); }

  [[nodiscard]] const LocalDomain& domain() const { return domain_; }
  [[nodiscard]] const IsingBlock& block() const { return block_; }
  [[nodiscard]] const ChainStates& states() const { return states_; }
  [[nodiscard]] const std::vector<std::int32_t>& free_rows() const { return free_rows_; }
  [[nodiscard]] int colours() const { return colouring_.colours; }
  // Position of this rank's first edge in the global CSR arrays (local edges follow in order).
  [[nodiscard]] std::int64_t global_edge_offset() const { return global_edge_offset_; }

  // Chain c's owned spins as checkpoint bytes (1 for +1, 0 for -1), in global id order.
  [[nodiscard]] std::vector<std::int8_t> owned_bytes(int chain) const;
  // Sets every slot of chain c, ghosts included, from a whole population's bytes (as above).
  // Throws spinfer::Error when the size does not match.
  void restore_chain(int chain, std::string_view bytes);

  // A hash of every chain's global state that does not depend on the decomposition (a
  // wrapping sum of per-agent hashes). Collective.
  [[nodiscard]] std::uint64_t state_hash(const comm::Communicator& comm) const;

 private:
  LocalDomain domain_;
  std::int64_t global_edge_offset_;
  Colouring colouring_;
  IsingBlock block_;
  ChainStates states_;
  std::vector<std::int32_t> free_rows_;
  std::unique_ptr<Schedule> schedule_;
};

}  // namespace spinfer
