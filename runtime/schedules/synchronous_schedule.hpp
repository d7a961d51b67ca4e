#pragma once
// Synchronous: every agent acts at once on the previous state (Little dynamics, the kinetic
// Ising model of seed 001). Its stationary law for symmetric precisions is Little's, not
// Boltzmann's.
#include <memory>

#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

template <class Block>
class SynchronousSchedule final : public Schedule<Block> {
 public:
  using State = typename Block::State;

  explicit SynchronousSchedule(const ScheduleInputs<Block>& in)
      : uniforms_(in.seed, in.domain),
        free_rows_(in.free_rows),
        halo_(schedule_parts::full_halo(in)) {}

  bool sweep(const Block& block, SystemStates<State>& states, const SweepContext& at) override {
    // The first sweep copies everything, clamped values included; afterwards clamped and free
    // slots are written identically into both buffers, so swapping is enough. (A resume
    // restores `states` only, which is why the copy is redone when the run starts.)
    if (!next_) next_ = std::make_unique<SystemStates<State>>(states);
    const std::uint32_t* u = uniforms_.fill(at.systems, at.sweep);
    for (int c = 0; c < states.systems(); ++c)
      block.act(free_rows_, at.temperature[c], states.system(c), next_->system(c),
                u + c * uniforms_.stride());
    states.swap(*next_);
    halo_.exchange(states.data(), states.systems(), states.stride());
    if (at.tally) add_entropy(block, *next_, states, at);
    return false;
  }

 private:
  // The reverse of a synchronous step x -> y is every agent acting on y: its evidence changes
  // with the step, so each agent adds log P(y_i | e_i(x)) - log P(x_i | e_i(y)), flips or not.
  void add_entropy(const Block& block, const SystemStates<State>& before,
                   const SystemStates<State>& after, const SweepContext& at) const {
    if constexpr (requires { block.log_action_probability(0, 0, before.system(0), 1); }) {
      for (int c = 0; c < after.systems(); ++c) {
        const State* x = before.system(c);
        const State* y = after.system(c);
        const int k = at.temperature[c];
        for (const std::int32_t i : free_rows_)
          at.tally->add(c, block.log_action_probability(i, k, x, y[i]) -
                               block.log_action_probability(i, k, y, x[i]));
      }
    }
  }

  schedule_parts::ActionUniforms uniforms_;
  std::vector<std::int32_t> free_rows_;
  comm::HaloExchange halo_;
  std::unique_ptr<SystemStates<State>> next_;
};

struct SynchronousKind {
  static constexpr ScheduleTraits traits{
      .kind = RunConfig::synchronous,
      .name = "synchronous",
      .colour_phases = false,
      .single_owner = false,
      // Ensembles exchange and measure energies, which these dynamics do not sample.
      .in_ensembles = false,
      .reproducible = true,
      .expected = "little",
      .entropy_granularity = "synchronous_step",
      .steps_per_sweep = [](std::int64_t, int) { return 1; },
      .kernel = [](const RunConfig&, std::string&) -> std::optional<KernelSchedule> {
        return KernelSchedule::synchronous;
      },
      .kernel_name = [](const RunConfig&) { return RunConfig::synchronous; },
  };
  template <class Block>
  using Sweep = SynchronousSchedule<Block>;
};

}  // namespace spinfer
