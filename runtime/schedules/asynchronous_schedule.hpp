#pragma once
// The asynchronous schedule: real concurrency. Every rank runs the chromatic phases on its own
// agents without waiting for the others: after phase c it posts its colour-c boundary values
// (non-blocking), and before each phase it applies whatever its neighbours' messages have
// brought so far. A slow rank's neighbours therefore act on old ghost values, and how old depends
// on timing: the trajectory is not reproducible beyond one rank. On one rank there are no ghosts
// and the schedule is chromatic, bit for bit. The ranks settle (every message applied, a blocking
// exchange) before the state is measured, saved or hashed.
#include "comm/async_halo.hpp"
#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

template <class Block>
class AsynchronousSchedule final : public Schedule<Block> {
 public:
  using State = typename Block::State;

  explicit AsynchronousSchedule(const ScheduleInputs<Block>& in)
      : uniforms_(in.seed, in.domain),
        phases_(schedule_parts::colour_phases(in)),
        colours_(std::max<std::int64_t>(1, static_cast<std::int64_t>(phases_.size()))),
        halo_(make_halo(in)) {}

  bool sweep(const Block& block, SystemStates<State>& states, const SweepContext& at) override {
    const std::uint32_t* u = uniforms_.fill(at.systems, at.sweep);
    for (std::size_t c = 0; c < phases_.size(); ++c) {
      // The clock counts phases, so that a lag of 0 means "as fresh as chromatic".
      now_ = static_cast<std::int64_t>(at.sweep) * colours_ + static_cast<std::int64_t>(c);
      halo_.deliver(states.data(), states.systems(), states.stride(), now_, lag_);
      for (int k = 0; k < states.systems(); ++k)
        schedule_parts::act_phase(block, phases_[c], at.temperature[k], states.system(k),
                                  u + k * uniforms_.stride(), at.tally, k);
      halo_.post(static_cast<int>(c), now_, states.data(), states.systems(), states.stride());
    }
    return false;
  }

  void synchronise(SystemStates<State>& states) override {
    halo_.settle(states.data(), states.systems(), states.stride(), now_ + 1, lag_);
  }

  [[nodiscard]] ConcurrencyStats concurrency() const override {
    const auto per_sweep = static_cast<double>(colours_);
    return {lag_.messages, lag_.sum_abs / per_sweep, lag_.max_abs / per_sweep};
  }

 private:
  static comm::AsyncHalo make_halo(const ScheduleInputs<Block>& in) {
    comm::HaloExchange full = schedule_parts::full_halo(in);
    std::vector<comm::HaloExchange> channels = schedule_parts::colour_halos(in, full);
    return comm::AsyncHalo(channels, std::move(full));
  }

  schedule_parts::ActionUniforms uniforms_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::int64_t colours_;
  comm::AsyncHalo halo_;
  comm::AsyncHalo::Lag lag_;
  std::int64_t now_ = 0;
};

struct AsynchronousKind {
  static constexpr ScheduleTraits traits{
      .kind = RunConfig::asynchronous,
      .name = "asynchronous",
      .colour_phases = true,
      .single_owner = false,
      .in_ensembles = false,
      .reproducible = false,
      .expected = "boltzmann",
      .entropy_granularity = "asynchronous_update",
      .steps_per_sweep = [](std::int64_t, int colours) { return colours; },
      .kernel = [](const RunConfig&, std::string& note) -> std::optional<KernelSchedule> {
        note = "asynchronous schedule: timing-dependent, not a Markov kernel; no exact kernel";
        return std::nullopt;
      },
      .kernel_name = [](const RunConfig&) { return RunConfig::asynchronous; },
  };
  template <class Block>
  using Sweep = AsynchronousSchedule<Block>;
};

}  // namespace spinfer
