#pragma once
// This rank's share of an ensemble run: the systems its group holds (whole), cut over the
// group's ranks like a single-system run, all acting through one LadderBlock. Collective
// operations are over the world unless they say otherwise.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/ising/ladder_block.hpp"
#include "agents/ising/spin_glass.hpp"
#include "comm/communicator.hpp"
#include "runtime/decomposition/chain_states.hpp"
#include "runtime/decomposition/ensemble_layout.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/decomposition/partition.hpp"
#include "runtime/schedules/schedule.hpp"
#include "runtime/schedules/tempered_sweep.hpp"

namespace spinfer {

struct EnsembleSpec {
  ScheduleKind schedule = ScheduleKind::chromatic;
  std::uint64_t seed = 1;
  std::vector<double> betas;  // the ladder, ascending
  // The start of system s (N spins, +-1); empty: random spins keyed by (seed, s, agent), as the
  // chains of an ordinary run.
  std::function<std::vector<std::int8_t>(int system)> initial_state;
};

// The agents' partition inside every group. Throws spinfer::Error for impossible group sizes.
Partition group_partition(const SpinGlass& glass, ScheduleKind schedule, int ranks_per_group);

class Ensemble {
 public:
  Ensemble(const comm::Communicator& world, const SpinGlass& glass, const EnsembleLayout& layout,
           const EnsembleSpec& spec);

  // Every local system acts once; temperature_of[s] is the ladder index of global system s.
  void sweep(std::uint64_t sweep_index, const std::vector<int>& temperature_of);

  [[nodiscard]] const EnsembleLayout& layout() const { return layout_; }
  [[nodiscard]] int group() const { return group_; }
  [[nodiscard]] const comm::Communicator& group_comm() const { return group_comm_; }
  [[nodiscard]] int first_system() const { return layout_.first_system[group_]; }
  [[nodiscard]] int local_systems() const { return states_.chains(); }
  [[nodiscard]] bool holds(int system) const {
    return system >= first_system() && system < first_system() + local_systems();
  }
  [[nodiscard]] const LocalDomain& domain() const { return domain_; }
  [[nodiscard]] LadderBlock& block() { return block_; }
  [[nodiscard]] const LadderBlock& block() const { return block_; }
  [[nodiscard]] const std::int8_t* spins(int local) const { return states_.chain(local); }

  // This rank's spin and energy sums of local system c; they add up over the ranks of the group
  // to the system's totals (from the last sweep's bond sums when it left them, else measured).
  [[nodiscard]] LadderBlock::Sums local_sums(int local) const;

  // Fixed-point energy (units of J) of every system, identical on every rank. Collective.
  [[nodiscard]] std::vector<std::uint64_t> energies(const comm::Communicator& world) const;

  // The ranks at this rank's position in every group, in group order: they own the same agents,
  // so spins of one agent in systems of different groups meet there.
  [[nodiscard]] const comm::Communicator& cross_comm() const { return cross_comm_; }

  // Owned spins of local system c as bytes (1: +1, 0: -1), and setting every slot of it from a
  // whole population's bytes (throws spinfer::Error on a size mismatch).
  [[nodiscard]] std::vector<std::int8_t> owned_bytes(int local) const;
  void restore_system(int local, std::string_view bytes);

  // Hash of every system's spins, independent of the layout: with one temperature it is
  // Collective::state_hash of an ordinary run with as many chains. Collective.
  [[nodiscard]] std::uint64_t state_hash(const comm::Communicator& world) const;

 private:
  EnsembleLayout layout_;
  int group_;
  comm::Communicator group_comm_;
  comm::Communicator cross_comm_;  // the ranks at this position of every group
  Partition partition_;
  LocalDomain domain_;
  Colouring colouring_;
  LadderBlock block_;
  ChainStates states_;
  std::unique_ptr<TemperedSweep> sweeper_;
  std::vector<int> systems_;         // global ids of the local systems
  std::vector<int> temperature_;     // their ladder indices, refreshed every sweep
  std::vector<std::int64_t> bonds_;  // per local system, from the last sweep when fresh
  bool bonds_fresh_ = false;
};

}  // namespace spinfer
