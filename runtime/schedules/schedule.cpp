#include "runtime/schedules/schedule.hpp"

#include "agents/core/random_streams.hpp"
#include "comm/halo_exchange.hpp"
#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

std::string to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::random_sequential:
      return "random_sequential";
    case ScheduleKind::chromatic:
      return "chromatic";
    case ScheduleKind::synchronous:
      return "synchronous";
    case ScheduleKind::stale:
      return "stale";
    case ScheduleKind::asynchronous:
      return "asynchronous";
  }
  return "unknown";
}

namespace {

__extension__ using uint128 = unsigned __int128;
using schedule_parts::ActionUniforms;

class ChromaticSchedule final : public Schedule {
 public:
  explicit ChromaticSchedule(const ScheduleInputs& in)
      : uniforms_(in.seed, in.domain),
        phases_(schedule_parts::colour_phases(in)),
        halos_(schedule_parts::colour_halos(in, schedule_parts::full_halo(in))) {}

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep,
             EntropyTally* tally) override {
    const std::uint32_t* u = uniforms_.fill(states.chains(), sweep);
    for (std::size_t c = 0; c < phases_.size(); ++c) {
      for (int k = 0; k < states.chains(); ++k)
        schedule_parts::act_phase(block, phases_[c], states.chain(k), u + k * uniforms_.stride(),
                                  tally, k);
      halos_[c].exchange(states.data(), states.chains(), states.stride());
    }
  }

 private:
  ActionUniforms uniforms_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::vector<comm::HaloExchange> halos_;
};

class SynchronousSchedule final : public Schedule {
 public:
  explicit SynchronousSchedule(const ScheduleInputs& in)
      : uniforms_(in.seed, in.domain),
        free_rows_(in.free_rows),
        halo_(schedule_parts::full_halo(in)) {}

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep,
             EntropyTally* tally) override {
    // The first sweep copies everything, clamped spins included; afterwards clamped and free
    // slots are written identically into both buffers, so swapping is enough. (A resume
    // restores `states` only, which is why the copy is redone when the run starts.)
    if (!next_) next_ = std::make_unique<ChainStates>(states);
    const std::uint32_t* u = uniforms_.fill(states.chains(), sweep);
    for (int k = 0; k < states.chains(); ++k)
      block.act(free_rows_, states.chain(k), next_->chain(k), u + k * uniforms_.stride());
    states.swap(*next_);
    halo_.exchange(states.data(), states.chains(), states.stride());
    if (tally) add_entropy(block, *next_, states, *tally);
  }

 private:
  // The reverse of a synchronous step x -> y is every agent acting on y: its evidence changes
  // with the step, so each agent adds log P(y_i | e_i(x)) - log P(x_i | e_i(y)), flips or not.
  void add_entropy(const IsingBlock& block, const ChainStates& before, const ChainStates& after,
                   EntropyTally& tally) const {
    for (int k = 0; k < after.chains(); ++k) {
      const std::int8_t* x = before.chain(k);
      const std::int8_t* y = after.chain(k);
      for (const std::int32_t i : free_rows_)
        tally.add(
            k, block.log_action_probability(i, x, y[i]) - block.log_action_probability(i, y, x[i]));
    }
  }

  ActionUniforms uniforms_;
  std::vector<std::int32_t> free_rows_;
  comm::HaloExchange halo_;
  std::unique_ptr<ChainStates> next_;
};

// Runs where every agent is owned (rank 0 under single_owner_partition); elsewhere free_rows is
// empty and a sweep does nothing.
class RandomSequentialSchedule final : public Schedule {
 public:
  explicit RandomSequentialSchedule(const ScheduleInputs& in)
      : seed_(in.seed), free_rows_(in.free_rows) {}

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep,
             EntropyTally* tally) override {
    const auto n = static_cast<std::uint64_t>(free_rows_.size());
    for (int k = 0; k < states.chains(); ++k) {
      std::int8_t* s = states.chain(k);
      for (std::uint64_t step = 0; step < n; ++step) {
        const RandomBlock r = random_block(seed_, StreamPurpose::site_selection,
                                           static_cast<std::uint32_t>(k), sweep, step);
        // 64 random bits scaled to [0, n): bias below n / 2^64.
        const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
        const auto pick = static_cast<std::size_t>((static_cast<uint128>(bits) * n) >> 64);
        const std::int32_t row = free_rows_[pick];
        const std::int8_t before = s[row];
        s[row] = block.act_one(row, s, r[2]);
        // Its own spin is not in its evidence, so the flip's reverse sees the same evidence.
        if (tally && s[row] != before) tally->add(k, block.log_flip_ratio(row, s, s[row]));
      }
    }
  }

 private:
  std::uint64_t seed_;
  std::vector<std::int32_t> free_rows_;
};

}  // namespace

std::unique_ptr<Schedule> make_schedule(ScheduleKind kind, ScheduleInputs inputs) {
  switch (kind) {
    case ScheduleKind::chromatic:
      return std::make_unique<ChromaticSchedule>(inputs);
    case ScheduleKind::synchronous:
      return std::make_unique<SynchronousSchedule>(inputs);
    case ScheduleKind::random_sequential:
      return std::make_unique<RandomSequentialSchedule>(inputs);
    case ScheduleKind::stale:
      return make_stale_schedule(inputs);
    case ScheduleKind::asynchronous:
      return make_asynchronous_schedule(inputs);
  }
  return nullptr;
}

}  // namespace spinfer
