#pragma once
// Schedules decide which agents act when; the physics is in IsingBlock. A sweep gives every free
// agent one turn (on average, for the random-sequential schedule) in every chain, and leaves the
// ghost copies up to date (the asynchronous schedule only after synchronise()).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/ising/ising_block.hpp"
#include "comm/communicator.hpp"
#include "runtime/decomposition/chain_states.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/decomposition/partition.hpp"
#include "runtime/schedules/entropy_tally.hpp"

namespace spinfer {

enum class ScheduleKind {
  random_sequential,  // one uniformly chosen free agent at a time; everything on rank 0
  chromatic,          // colour classes in turn; exact and parallel
  synchronous,        // every agent at once on the previous state (Little dynamics)
  stale,              // chromatic, reading neighbours in other stale domains d sweeps late
  asynchronous,       // chromatic per rank, halos sent and applied without waiting
};

std::string to_string(ScheduleKind kind);

// What the asynchronous schedule saw of the other ranks, this rank's share.
struct ConcurrencyStats {
  std::int64_t messages = 0;  // halo messages applied
  double lag_sum = 0;         // |receiver's sweep - sender's sweep| summed over them
  double lag_max = 0;
};

class Schedule {
 public:
  virtual ~Schedule() = default;
  // `tally`, when given (reset by the caller), receives the sweep's entropy production terms.
  virtual void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep,
                     EntropyTally* tally) = 0;
  // Completes outstanding communication and brings every ghost up to date. Collective. Only the
  // asynchronous schedule is ever out of step; it must be in step before the state is measured,
  // saved or hashed.
  virtual void synchronise(ChainStates& /*states*/) {}

  // Run state besides the current spins (the stale schedule's delayed states): `history_length`
  // whole-population states per chain, oldest first, as checkpoint bytes (1 for +1, 0 for -1).
  [[nodiscard]] virtual int history_length() const { return 0; }
  // This rank's owned agents' bytes of state `index`, after `completed_sweeps` sweeps.
  [[nodiscard]] virtual std::vector<std::int8_t> history_bytes(int /*chain*/, int /*index*/,
                                                               std::int64_t /*completed*/) const {
    return {};
  }
  // Sets state `index` from a whole population's bytes (ghosts included).
  virtual void restore_history(int /*chain*/, int /*index*/, std::int64_t /*completed*/,
                               std::string_view /*population_bytes*/) {}

  [[nodiscard]] virtual ConcurrencyStats concurrency() const { return {}; }
};

struct ScheduleInputs {
  const comm::Communicator& comm;
  const LocalDomain& domain;
  const Colouring& colouring;           // global; used by the colour-phase schedules
  std::vector<std::int32_t> free_rows;  // owned rows that act (not clamped), ascending
  std::uint64_t seed;
  const IsingBlock& block;  // the agents of this rank, as the collective built them
  int staleness = 0;        // stale schedule: d
  // Stale schedule: agents in one domain read each other fresh; none: every agent is a domain.
  std::optional<Partition> stale_domains;
};

std::unique_ptr<Schedule> make_schedule(ScheduleKind kind, ScheduleInputs inputs);

// The two fragility schedules, in their own files.
std::unique_ptr<Schedule> make_stale_schedule(const ScheduleInputs& inputs);
std::unique_ptr<Schedule> make_asynchronous_schedule(const ScheduleInputs& inputs);

}  // namespace spinfer
