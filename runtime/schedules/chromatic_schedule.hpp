#pragma once
// Chromatic: the colour classes of a proper colouring act in turn; agents of one colour are
// conditionally independent given the others, so acting them at once is exact (Boltzmann for
// symmetric precisions) and parallel. After colour c acts, only colour-c boundary values travel.
#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

template <class Block>
class ChromaticSchedule final : public Schedule<Block> {
 public:
  using State = typename Block::State;

  explicit ChromaticSchedule(const ScheduleInputs<Block>& in)
      : uniforms_(in.seed, in.domain),
        phases_(schedule_parts::colour_phases(in)),
        halos_(schedule_parts::colour_halos(in, schedule_parts::full_halo(in))),
        alone_(in.comm.size() == 1) {}

  bool sweep(const Block& block, SystemStates<State>& states, const SweepContext& at) override {
    const int systems = states.systems();
    // Two colours: the second colour's evidence is final, so its bond sum counts every edge once.
    bool count = false;
    if constexpr (requires { block.act_counting_bonds(phases_[0], 0, nullptr, nullptr, nullptr); })
      count = at.bonds != nullptr && at.tally == nullptr && phases_.size() == 2 &&
              block.uses_lookup_table();
    const auto act = [&](std::size_t p, int c, const std::uint32_t* u) {
      State* s = states.system(c);
      if constexpr (requires { block.act_counting_bonds(phases_[p], 0, s, s, u); })
        if (count && p == 1) {
          at.bonds[c] = block.act_counting_bonds(phases_[p], at.temperature[c], s, s, u);
          return;
        }
      schedule_parts::act_phase(block, phases_[p], at.temperature[c], s, u, at.tally, c);
    };
    if (alone_) {
      // No halos: one system at a time, all its colours, while its values are in cache.
      one_.resize(static_cast<std::size_t>(uniforms_.stride()));
      for (int c = 0; c < systems; ++c) {
        uniforms_.fill_one(at.systems[c], at.sweep, one_.data());
        for (std::size_t p = 0; p < phases_.size(); ++p) act(p, c, one_.data());
      }
      return count;
    }
    const std::uint32_t* u = uniforms_.fill(at.systems, at.sweep);
    for (std::size_t p = 0; p < phases_.size(); ++p) {
      for (int c = 0; c < systems; ++c) act(p, c, u + c * uniforms_.stride());
      halos_[p].exchange(states.data(), systems, states.stride());
    }
    return count;
  }

 private:
  schedule_parts::ActionUniforms uniforms_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::vector<comm::HaloExchange> halos_;
  bool alone_;
  std::vector<std::uint32_t> one_;
};

struct ChromaticKind {
  static constexpr ScheduleTraits traits{
      .kind = RunConfig::chromatic,
      .name = "chromatic",
      .colour_phases = true,
      .single_owner = false,
      .in_ensembles = true,
      .reproducible = true,
      .expected = "boltzmann",
      .entropy_granularity = "colour_phase",
      .steps_per_sweep = [](std::int64_t, int colours) { return colours; },
      .kernel = [](const RunConfig&, std::string&) -> std::optional<KernelSchedule> {
        return KernelSchedule::chromatic;
      },
      .kernel_name = [](const RunConfig&) { return RunConfig::chromatic; },
  };
  template <class Block>
  using Sweep = ChromaticSchedule<Block>;
};

}  // namespace spinfer
