#pragma once
// Pieces the schedules share (runtime-internal): the per-sweep action uniforms, the colour
// phases of a chromatic sweep with their halo plans, and one phase of agents acting, with its
// entropy production when the family has one and it is asked for.
#include <cstdint>
#include <span>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "comm/halo_exchange.hpp"
#include "runtime/schedules/entropy_tally.hpp"
#include "runtime/schedules/schedule.hpp"

namespace spinfer::schedule_parts {

// Every owned agent's action uniform for one sweep of each listed system, keyed by (seed,
// system id, sweep, global id): the same numbers whichever rank, group or order acts them.
class ActionUniforms {
 public:
  ActionUniforms(std::uint64_t seed, const LocalDomain& domain)
      : seed_(seed), first_(domain.owned_first), count_(domain.owned_count) {}

  // One system's uniforms.
  void fill_one(int system, std::uint64_t sweep, std::uint32_t* out) const {
    fill_agent_uniforms(seed_, StreamPurpose::action, static_cast<std::uint32_t>(system), sweep,
                        first_, count_, out);
  }
  // Every listed system's, system c's at c * stride().
  const std::uint32_t* fill(std::span<const int> systems, std::uint64_t sweep) {
    values_.resize(systems.size() * static_cast<std::size_t>(count_));
    for (std::size_t c = 0; c < systems.size(); ++c)
      fill_one(systems[c], sweep, values_.data() + c * count_);
    return values_.data();
  }
  [[nodiscard]] std::int64_t stride() const { return count_; }

 private:
  std::uint64_t seed_;
  AgentId first_;
  std::int64_t count_;
  std::vector<std::uint32_t> values_;
};

template <class Block>
comm::HaloExchange full_halo(const ScheduleInputs<Block>& in) {
  return comm::HaloExchange(in.comm, in.domain.owned_first, in.domain.owned_count,
                            in.domain.ghost_ids, in.domain.ghost_owners);
}

// The free rows of each colour, in colour order (a colour may have none here).
template <class Block>
std::vector<std::vector<std::int32_t>> colour_phases(const ScheduleInputs<Block>& in) {
  std::vector<std::vector<std::int32_t>> phases(static_cast<std::size_t>(in.colouring.colours));
  for (auto row : in.free_rows)
    phases[in.colouring.colour_of[in.domain.global_id(row)]].push_back(row);
  return phases;
}

// After colour c acts only colour-c values changed, so only those travel.
template <class Block>
std::vector<comm::HaloExchange> colour_halos(const ScheduleInputs<Block>& in,
                                             const comm::HaloExchange& all) {
  std::vector<comm::HaloExchange> halos;
  const auto& colour_of = in.colouring.colour_of;
  for (int c = 0; c < in.colouring.colours; ++c)
    halos.push_back(all.restricted(
        [&, c](std::int32_t slot) { return colour_of[in.domain.global_id(slot)] == c; }));
  return halos;
}

// Whether the family can count the entropy production of agents acting in place.
template <class Block>
concept CountsEntropy = requires(const Block& b, std::span<const std::int32_t> agents,
                                 typename Block::State* s, const std::uint32_t* u,
                                 typename Block::EntropySum& sum) {
  b.act_in_place(agents, 0, s, u, sum);
};

// One colour phase of one system in place, at scale k; with a tally, each flip's entropy
// production at the evidence the agent saw is added to it (IsingBlock::act_in_place).
template <class Block>
void act_phase(const Block& block, std::span<const std::int32_t> agents, int k,
               typename Block::State* state, const std::uint32_t* uniforms, EntropyTally* tally,
               int system) {
  if constexpr (CountsEntropy<Block>) {
    if (tally) {
      typename Block::EntropySum sum;
      block.act_in_place(agents, k, state, uniforms, sum);
      tally->add(system, sum);
      return;
    }
  }
  block.act(agents, k, state, state, uniforms);
}

}  // namespace spinfer::schedule_parts
