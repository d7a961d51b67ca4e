#pragma once
// Random sequential: one uniformly chosen free agent acts at a time, n times a sweep; the
// reference schedule (Glauber dynamics proper). Every agent lives on one rank (the first of the
// group); elsewhere free_rows is empty and a sweep does nothing.
#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

template <class Block>
class RandomSequentialSchedule final : public Schedule<Block> {
 public:
  using State = typename Block::State;

  explicit RandomSequentialSchedule(const ScheduleInputs<Block>& in)
      : seed_(in.seed), free_rows_(in.free_rows) {}

  bool sweep(const Block& block, SystemStates<State>& states, const SweepContext& at) override {
    __extension__ using uint128 = unsigned __int128;
    const auto n = static_cast<std::uint64_t>(free_rows_.size());
    for (int c = 0; c < states.systems(); ++c) {
      State* s = states.system(c);
      const int k = at.temperature[c];
      for (std::uint64_t step = 0; step < n; ++step) {
        const RandomBlock r =
            random_block(seed_, StreamPurpose::site_selection,
                         static_cast<std::uint32_t>(at.systems[c]), at.sweep, step);
        // 64 random bits scaled to [0, n): bias below n / 2^64.
        const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
        const auto pick = static_cast<std::size_t>((static_cast<uint128>(bits) * n) >> 64);
        const std::int32_t row = free_rows_[pick];
        const State before = s[row];
        s[row] = block.act_one(row, k, s, r[2]);
        // Its own value is not in its evidence, so the flip's reverse sees the same evidence.
        if constexpr (requires { block.log_flip_ratio(row, k, s, 1); })
          if (at.tally && s[row] != before)
            at.tally->add(c, block.log_flip_ratio(row, k, s, s[row]));
      }
    }
    return false;
  }

 private:
  std::uint64_t seed_;
  std::vector<std::int32_t> free_rows_;
};

struct RandomSequentialKind {
  static constexpr ScheduleTraits traits{
      .kind = RunConfig::random_sequential,
      .name = "random_sequential",
      .colour_phases = false,
      .single_owner = true,
      .in_ensembles = true,
      .reproducible = true,
      .expected = "boltzmann",
      .entropy_granularity = "single_update",
      .steps_per_sweep = [](std::int64_t n_free, int) { return static_cast<int>(n_free); },
      .kernel = [](const RunConfig&, std::string&) -> std::optional<KernelSchedule> {
        return KernelSchedule::random_sequential;
      },
      .kernel_name = [](const RunConfig&) { return RunConfig::random_sequential; },
  };
  template <class Block>
  using Sweep = RandomSequentialSchedule<Block>;
};

}  // namespace spinfer
