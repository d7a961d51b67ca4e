#pragma once
// Pieces the schedules share (runtime-internal): the per-sweep action uniforms, the colour
// phases of a chromatic sweep with their halo plans, and the entropy production of a phase.
#include <cstdint>
#include <span>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/ising/ising_block.hpp"
#include "comm/halo_exchange.hpp"
#include "runtime/schedules/entropy_tally.hpp"
#include "runtime/schedules/schedule.hpp"

namespace spinfer::schedule_parts {

// Every agent's action uniform for one sweep of every chain, keyed by global id.
class ActionUniforms {
 public:
  ActionUniforms(std::uint64_t seed, const LocalDomain& domain)
      : seed_(seed), first_(domain.owned_first), count_(domain.owned_count) {}

  const std::uint32_t* fill(int chains, std::uint64_t sweep) {
    values_.resize(static_cast<std::size_t>(chains * count_));
    for (int c = 0; c < chains; ++c)
      fill_agent_uniforms(seed_, StreamPurpose::action, static_cast<std::uint32_t>(c), sweep,
                          first_, count_, values_.data() + c * count_);
    return values_.data();
  }
  [[nodiscard]] std::int64_t stride() const { return count_; }

 private:
  std::uint64_t seed_;
  AgentId first_;
  std::int64_t count_;
  std::vector<std::uint32_t> values_;
};

inline comm::HaloExchange full_halo(const ScheduleInputs& in) {
  return comm::HaloExchange(in.comm, in.domain.owned_first, in.domain.owned_count,
                            in.domain.ghost_ids, in.domain.ghost_owners);
}

// The free rows of each colour, in colour order (a colour may have none here).
inline std::vector<std::vector<std::int32_t>> colour_phases(const ScheduleInputs& in) {
  std::vector<std::vector<std::int32_t>> phases(static_cast<std::size_t>(in.colouring.colours));
  for (auto row : in.free_rows)
    phases[in.colouring.colour_of[in.domain.global_id(row)]].push_back(row);
  return phases;
}

// After colour c acts only colour-c spins changed, so only those travel.
inline std::vector<comm::HaloExchange> colour_halos(const ScheduleInputs& in,
                                                    const comm::HaloExchange& all) {
  std::vector<comm::HaloExchange> halos;
  const auto& colour_of = in.colouring.colour_of;
  for (int c = 0; c < in.colouring.colours; ++c)
    halos.push_back(all.restricted(
        [&, c](std::int32_t slot) { return colour_of[in.domain.global_id(slot)] == c; }));
  return halos;
}

// One colour phase of one chain, in place; with a tally, each flip's entropy production
// log P(new) - log P(old) at the evidence the agent saw is added to it (IsingBlock::act_in_place).
inline void act_phase(const IsingBlock& block, std::span<const std::int32_t> agents,
                      std::int8_t* state, const std::uint32_t* uniforms, EntropyTally* tally,
                      int chain) {
  if (!tally) return block.act(agents, state, state, uniforms);
  IsingBlock::EntropySum sum;
  block.act_in_place(agents, state, uniforms, sum);
  tally->add(chain, sum);
}

}  // namespace spinfer::schedule_parts
