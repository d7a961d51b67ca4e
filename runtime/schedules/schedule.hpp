#pragma once
// Schedules decide which agents act when and which halos travel; the physics is the agent
// family's (its block class: IsingBlock today). A sweep gives every free agent one turn (on
// average, for the random-sequential schedule) in every system this rank holds, and leaves the
// ghost copies up to date (the asynchronous schedule only after synchronise()).
//
// A schedule is one header in this folder: the class template (generic over the family) and its
// ScheduleTraits, which say everything the rest of the runtime needs to know of it (its exact
// reference, its kernel for the oracle, how its entropy production and detailed balance are
// counted, where its agents live). registry.hpp lists them.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/transition_kernel.hpp"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/decomposition/partition.hpp"
#include "runtime/decomposition/system_states.hpp"
#include "runtime/schedules/entropy_tally.hpp"

namespace spinfer {

// What one sweep is asked to do with the systems it moves.
struct SweepContext {
  std::uint64_t sweep = 0;
  // Per local system: its global id (which keys its random streams, so that a system's
  // trajectory does not depend on which rank or group holds it) and its scale index (the
  // temperature it is at; 0 in a run at one beta).
  std::span<const int> systems;
  std::span<const int> temperature;
  // When given (reset by the caller), receives the sweep's entropy production terms.
  EntropyTally* tally = nullptr;
  // When given, the schedule may fill bonds[c] with this rank's share of system c's bond sum
  // (IsingBlock::act_counting_bonds) and return true from sweep().
  std::int64_t* bonds = nullptr;
};

// What the asynchronous schedule saw of the other ranks, this rank's share.
struct ConcurrencyStats {
  std::int64_t messages = 0;  // halo messages applied
  double lag_sum = 0;         // |receiver's sweep - sender's sweep| summed over them
  double lag_max = 0;
};

template <class Block>
class Schedule {
 public:
  using State = typename Block::State;
  virtual ~Schedule() = default;
  // Returns true when it filled context.bonds.
  virtual bool sweep(const Block& block, SystemStates<State>& states,
                     const SweepContext& context) = 0;
  // Completes outstanding communication and brings every ghost up to date. Collective. Only the
  // asynchronous schedule is ever out of step; it must be in step before the state is measured,
  // saved or hashed.
  virtual void synchronise(SystemStates<State>& /*states*/) {}

  // Run state besides the current states (the stale schedule's delayed states):
  // `history_length` whole-population states per system, oldest first.
  [[nodiscard]] virtual int history_length() const { return 0; }
  // This rank's owned agents' values of state `index`, after `completed` sweeps.
  [[nodiscard]] virtual std::vector<State> history(int /*system*/, int /*index*/,
                                                   std::int64_t /*completed*/) const {
    return {};
  }
  // Sets state `index` from every local slot's value (ghosts included), in slot order.
  virtual void restore_history(int /*system*/, int /*index*/, std::int64_t /*completed*/,
                               std::span<const State> /*slots*/) {}

  [[nodiscard]] virtual ConcurrencyStats concurrency() const { return {}; }
};

// What a schedule is built from: this rank's part of the population and of its systems.
template <class Block>
struct ScheduleInputs {
  const comm::Communicator& comm;  // the ranks that share these systems' agents
  const LocalDomain& domain;
  const Colouring& colouring;           // global; used by the colour-phase schedules
  std::vector<std::int32_t> free_rows;  // owned rows that act (not clamped), ascending
  std::uint64_t seed;
  const Block& block;  // the agents of this rank
  int staleness = 0;   // stale schedule: d
  // Stale schedule: agents in one domain read each other fresh; none: every agent is a domain.
  std::optional<Partition> stale_domains;
};

// Everything the runtime knows of a schedule besides its sweeps.
struct ScheduleTraits {
  RunConfig::Schedule kind;
  const char* name;
  bool colour_phases;    // agents act in colour classes: needs a colouring
  bool single_owner;     // every agent on one rank (the others idle)
  bool in_ensembles;     // runs replicas x temperatures (the dynamics samples a known energy)
  bool reproducible;     // a function of (configuration, seed) on any rank count
  const char* expected;  // the closed-form law it samples with symmetric precisions
  const char* entropy_granularity;  // what one term of its entropy production is
  // Elementary steps per sweep with n free agents and `colours` colour classes.
  int (*steps_per_sweep)(std::int64_t n_free, int colours);
  // The kernel the exact oracle builds for it under `config`, or none, with `note` saying why.
  std::optional<KernelSchedule> (*kernel)(const RunConfig& config, std::string& note);
  // The schedule name the kernel record reports (a schedule that reduces to another says so).
  RunConfig::Schedule (*kernel_name)(const RunConfig& config);
};

}  // namespace spinfer
