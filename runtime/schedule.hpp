#pragma once
// Schedules decide which agents act when; the physics is in IsingBlock. A sweep gives every free
// agent one turn (on average, for the random-sequential schedule) in every chain, and leaves the
// ghost copies up to date.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agents/colouring.hpp"
#include "agents/ising_block.hpp"
#include "chain_states.hpp"
#include "comm/communicator.hpp"
#include "local_domain.hpp"

namespace spinfer {

enum class ScheduleKind {
  random_sequential,  // one uniformly chosen free agent at a time; everything on rank 0
  chromatic,          // colour classes in turn; exact and parallel
  synchronous,        // every agent at once on the previous state (Little dynamics)
};

std::string to_string(ScheduleKind kind);

class Schedule {
 public:
  virtual ~Schedule() = default;
  virtual void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep) = 0;
};

struct ScheduleInputs {
  const comm::Communicator& comm;
  const LocalDomain& domain;
  const Colouring& colouring;           // global; used by the chromatic schedule
  std::vector<std::int32_t> free_rows;  // owned rows that act (not clamped), ascending
  std::uint64_t seed;
};

std::unique_ptr<Schedule> make_schedule(ScheduleKind kind, ScheduleInputs inputs);

}  // namespace spinfer
