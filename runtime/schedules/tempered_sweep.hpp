#pragma once
// Sweeps of the systems one rank holds in an ensemble run, each at its own temperature. The
// schedules of schedule.hpp for a LadderBlock: every system's agents act on their own spins with
// uniforms keyed by (seed, system id, sweep, agent), so a system's trajectory is the same whatever
// group, rank or neighbour systems it shares a rank with.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/ising/ladder_block.hpp"
#include "comm/communicator.hpp"
#include "runtime/decomposition/chain_states.hpp"
#include "runtime/decomposition/local_domain.hpp"
#include "runtime/schedules/schedule.hpp"

namespace spinfer {

class TemperedSweep {
 public:
  virtual ~TemperedSweep() = default;
  // Local system c (chain c of `states`) is global system systems[c] and acts at ladder index
  // temperature[c]. Returns true when it also filled bonds[c] with this rank's share of the
  // system's bond sum (LadderBlock::act_counting_bonds; only for a bipartite chromatic sweep on
  // the lookup path), so that the energies after the sweep need no second pass.
  virtual bool sweep(const LadderBlock& block, ChainStates& states, std::span<const int> systems,
                     std::span<const int> temperature, std::uint64_t sweep,
                     std::int64_t* bonds) = 0;
};

struct TemperedSweepInputs {
  const comm::Communicator& group;  // the ranks that share these systems' agents
  const LocalDomain& domain;
  const Colouring& colouring;  // chromatic only
  std::uint64_t seed;
};

// chromatic or random_sequential (every agent on the group's first rank). Collective over the
// group: builds the halo plans.
std::unique_ptr<TemperedSweep> make_tempered_sweep(ScheduleKind kind,
                                                   const TemperedSweepInputs& inputs);

}  // namespace spinfer
