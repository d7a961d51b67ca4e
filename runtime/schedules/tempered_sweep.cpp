#include "runtime/schedules/tempered_sweep.hpp"

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "comm/halo_exchange.hpp"

namespace spinfer {
namespace {

__extension__ using uint128 = unsigned __int128;

class ChromaticTemperedSweep final : public TemperedSweep {
 public:
  explicit ChromaticTemperedSweep(const TemperedSweepInputs& in)
      : seed_(in.seed),
        first_(in.domain.owned_first),
        count_(in.domain.owned_count),
        alone_(in.group.size() == 1) {
    const auto& colour_of = in.colouring.colour_of;
    phases_.resize(in.colouring.colours);
    for (std::int64_t row = 0; row < in.domain.owned_count; ++row)
      phases_[colour_of[in.domain.global_id(row)]].push_back(static_cast<std::int32_t>(row));
    const comm::HaloExchange all(in.group, in.domain.owned_first, in.domain.owned_count,
                                 in.domain.ghost_ids, in.domain.ghost_owners);
    for (int c = 0; c < in.colouring.colours; ++c)
      halos_.push_back(all.restricted(
          [&, c](std::int32_t slot) { return colour_of[in.domain.global_id(slot)] == c; }));
  }

  bool sweep(const LadderBlock& block, ChainStates& states, std::span<const int> systems,
             std::span<const int> temperature, std::uint64_t sweep, std::int64_t* bonds) override {
    const int chains = states.chains();
    // Two colours: the second colour's evidence is final, so its bond sum counts every edge once.
    const bool count = bonds != nullptr && phases_.size() == 2 && block.uses_lookup_table();
    const auto act = [&](std::size_t p, int c, const std::uint32_t* u) {
      if (count && p == 1)
        bonds[c] = block.act_counting_bonds(phases_[p], temperature[c], states.chain(c),
                                            states.chain(c), u);
      else
        block.act(phases_[p], temperature[c], states.chain(c), states.chain(c), u);
    };
    if (alone_) {
      // No halos: one system at a time, all its colours, while its spins are in cache.
      uniforms_.resize(static_cast<std::size_t>(count_));
      for (int c = 0; c < chains; ++c) {
        fill(systems[c], sweep, uniforms_.data());
        for (std::size_t p = 0; p < phases_.size(); ++p) act(p, c, uniforms_.data());
      }
      return count;
    }
    uniforms_.resize(static_cast<std::size_t>(chains * count_));
    for (int c = 0; c < chains; ++c) fill(systems[c], sweep, uniforms_.data() + c * count_);
    for (std::size_t p = 0; p < phases_.size(); ++p) {
      for (int c = 0; c < chains; ++c) act(p, c, uniforms_.data() + c * count_);
      halos_[p].exchange(states.data(), chains, states.stride());
    }
    return count;
  }

 private:
  void fill(int system, std::uint64_t sweep, std::uint32_t* out) const {
    fill_agent_uniforms(seed_, StreamPurpose::action, static_cast<std::uint32_t>(system), sweep,
                        first_, count_, out);
  }

  std::uint64_t seed_;
  AgentId first_;
  std::int64_t count_;
  bool alone_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::vector<comm::HaloExchange> halos_;
  std::vector<std::uint32_t> uniforms_;
};

// As RandomSequentialSchedule: the group's first rank owns every agent, the others idle.
class RandomSequentialTemperedSweep final : public TemperedSweep {
 public:
  explicit RandomSequentialTemperedSweep(const TemperedSweepInputs& in)
      : seed_(in.seed), rows_(in.domain.owned_count) {}

  bool sweep(const LadderBlock& block, ChainStates& states, std::span<const int> systems,
             std::span<const int> temperature, std::uint64_t sweep, std::int64_t*) override {
    const auto n = static_cast<std::uint64_t>(rows_);
    for (int c = 0; c < states.chains(); ++c) {
      std::int8_t* s = states.chain(c);
      for (std::uint64_t step = 0; step < n; ++step) {
        const RandomBlock r = random_block(seed_, StreamPurpose::site_selection,
                                           static_cast<std::uint32_t>(systems[c]), sweep, step);
        const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
        const auto row = static_cast<std::int32_t>((static_cast<uint128>(bits) * n) >> 64);
        s[row] = block.act_one(row, temperature[c], s, r[2]);
      }
    }
    return false;
  }

 private:
  std::uint64_t seed_;
  std::int64_t rows_;
};

}  // namespace

std::unique_ptr<TemperedSweep> make_tempered_sweep(ScheduleKind kind,
                                                   const TemperedSweepInputs& inputs) {
  switch (kind) {
    case ScheduleKind::chromatic:
      return std::make_unique<ChromaticTemperedSweep>(inputs);
    case ScheduleKind::random_sequential:
      return std::make_unique<RandomSequentialTemperedSweep>(inputs);
    case ScheduleKind::synchronous:
    case ScheduleKind::stale:
    case ScheduleKind::asynchronous:
      break;  // ensemble runs need an energy, which these schedules' dynamics do not sample
  }
  throw field_error("schedule", to_string(kind), "not available in ensemble runs");
}

}  // namespace spinfer
