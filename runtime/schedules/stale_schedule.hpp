#pragma once
// The stale schedule: a reproducible emulation of workers that act without waiting for each
// other. The population is cut into stale domains; an agent reads neighbours in its own domain as
// the chromatic schedule would, and neighbours in other domains exactly d sweeps later than that:
// at sweep t, phase c, a neighbour j of another domain shows its state at the end of sweep t - d
// when j's colour comes before c, and at the end of sweep t - 1 - d otherwise (the state before
// sweep 0 standing in for earlier ones). d = 0 reads exactly what chromatic reads.
//
// The agents act on an extended state of 2 S slots (S = this rank's slots): their edges to
// fresh neighbours index slots [0, S) as usual, their edges to stale ones index [S, 2 S), which
// hold the delayed values. The hot loop is the family's, on a block rewired to that layout
// (Block::rewired): the schedule changes where agents read, never how they act.
#include <algorithm>
#include <cstring>

#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {

template <class Block>
class StaleSchedule final : public Schedule<Block> {
 public:
  using State = typename Block::State;

  explicit StaleSchedule(const ScheduleInputs<Block>& in)
      : domain_(in.domain),
        slots_(in.domain.slots()),
        depth_(in.staleness),
        uniforms_(in.seed, in.domain),
        phases_(schedule_parts::colour_phases(in)),
        halos_(schedule_parts::colour_halos(in, schedule_parts::full_halo(in))),
        stale_by_colour_(static_cast<std::size_t>(in.colouring.colours)),
        block_(in.block.rewired(extended_graph(in))) {
    for (const std::int32_t slot : stale_slots_)
      stale_by_colour_[in.colouring.colour_of[domain_.global_id(slot)]].push_back(slot);
  }

  // `block` is the one this schedule was built from; the rewired copy acts instead.
  bool sweep(const Block& /*block*/, SystemStates<State>& states, const SweepContext& at) override {
    const int systems = states.systems();
    const std::int64_t width = 2 * slots_;
    if (depth_ > 0 && !history_ready_) start_history(states);
    work_.resize(static_cast<std::size_t>(systems * width));
    const auto t = static_cast<std::int64_t>(at.sweep);
    for (int k = 0; k < systems; ++k) {
      State* w = work_.data() + k * width;
      std::copy_n(states.system(k), slots_, w);
      // Before phase c every stale neighbour of a later colour shows sweep t - 1 - d.
      const State* old = depth_ > 0 ? snapshot(k, t - 1 - depth_) : w;
      for (const std::int32_t j : stale_slots_) w[slots_ + j] = old[j];
    }
    const std::uint32_t* u = uniforms_.fill(at.systems, at.sweep);
    for (std::size_t c = 0; c < phases_.size(); ++c) {
      for (int k = 0; k < systems; ++k)
        schedule_parts::act_phase(block_, phases_[c], at.temperature[k], work_.data() + k * width,
                                  u + k * uniforms_.stride(), at.tally, k);
      halos_[c].exchange(work_.data(), systems, width);
      // From the next phase on, colour c's stale neighbours show sweep t - d.
      for (int k = 0; k < systems; ++k) {
        State* w = work_.data() + k * width;
        const State* newer = depth_ > 0 ? snapshot(k, t - depth_) : w;
        for (const std::int32_t j : stale_by_colour_[c]) w[slots_ + j] = newer[j];
      }
    }
    for (int k = 0; k < systems; ++k) {
      const State* w = work_.data() + k * width;
      std::copy_n(w, slots_, states.system(k));
      if (depth_ > 0) std::copy_n(w, slots_, snapshot(k, t));
    }
    return false;
  }

  [[nodiscard]] int history_length() const override { return depth_ > 0 ? depth_ + 1 : 0; }

  [[nodiscard]] std::vector<State> history(int system, int index,
                                           std::int64_t completed) const override {
    const State* s = snapshot(system, completed - 1 - depth_ + index);
    return std::vector<State>(s, s + domain_.owned_count);
  }

  void restore_history(int system, int index, std::int64_t completed,
                       std::span<const State> slots) override {
    const auto needed = static_cast<std::size_t>((system + 1) * (depth_ + 1) * slots_);
    if (history_.size() < needed) history_.resize(needed, State{1});  // systems arrive in order
    std::copy(slots.begin(), slots.end(), snapshot(system, completed - 1 - depth_ + index));
    history_ready_ = true;
  }

 private:
  // The local graph with every edge to a neighbour of another stale domain moved to [S, 2 S).
  WeightedGraph extended_graph(const ScheduleInputs<Block>& in) {
    WeightedGraph g = in.block.weights();
    const auto domain_of = [&](std::int64_t slot) -> AgentId {
      const AgentId id = in.domain.global_id(slot);
      return in.stale_domains ? in.stale_domains->owner(id) : id;
    };
    for (std::int64_t row = 0; row < g.size(); ++row) {
      for (auto e = g.row_offsets[row]; e < g.row_offsets[row + 1]; ++e) {
        const std::int32_t j = g.columns[e];
        if (domain_of(row) == domain_of(j)) continue;
        stale_slots_.push_back(j);
        g.columns[e] = static_cast<std::int32_t>(j + slots_);
      }
    }
    std::sort(stale_slots_.begin(), stale_slots_.end());
    stale_slots_.erase(std::unique(stale_slots_.begin(), stale_slots_.end()), stale_slots_.end());
    return g;
  }

  // The states at the ends of the last d + 1 sweeps, in a ring indexed by sweep.
  void start_history(const SystemStates<State>& states) {
    history_.assign(static_cast<std::size_t>(states.systems() * (depth_ + 1) * slots_), State{1});
    for (int k = 0; k < states.systems(); ++k)
      for (int m = 0; m <= depth_; ++m)
        std::copy_n(states.system(k), slots_, history_.data() + (k * (depth_ + 1) + m) * slots_);
    history_ready_ = true;
  }
  [[nodiscard]] std::int64_t ring_index(int system, std::int64_t sweep) const {
    const std::int64_t period = depth_ + 1;
    const std::int64_t m = std::max<std::int64_t>(sweep, -1);  // before sweep 0: the start
    return (system * period + ((m % period) + period) % period) * slots_;
  }
  State* snapshot(int system, std::int64_t sweep) {
    return history_.data() + ring_index(system, sweep);
  }
  [[nodiscard]] const State* snapshot(int system, std::int64_t sweep) const {
    return history_.data() + ring_index(system, sweep);
  }

  const LocalDomain& domain_;
  std::int64_t slots_;
  int depth_;
  schedule_parts::ActionUniforms uniforms_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::vector<comm::HaloExchange> halos_;
  std::vector<std::int32_t> stale_slots_;  // filled by extended_graph, before block_
  std::vector<std::vector<std::int32_t>> stale_by_colour_;
  Block block_;
  std::vector<State> work_;     // systems x 2 S
  std::vector<State> history_;  // systems x (d + 1) x S
  bool history_ready_ = false;
};

struct StaleKind {
  static constexpr ScheduleTraits traits{
      .kind = RunConfig::stale,
      .name = "stale",
      .colour_phases = true,
      .single_owner = false,
      .in_ensembles = false,
      .reproducible = true,
      .expected = "boltzmann",
      // With delayed evidence the spins alone are not Markov: each update's log-ratio at the
      // evidence the agent saw is the entropy it hands to its bath, not the whole chain's.
      .entropy_granularity = "stale_update",
      .steps_per_sweep = [](std::int64_t, int colours) { return colours; },
      .kernel = [](const RunConfig& config, std::string& note) -> std::optional<KernelSchedule> {
        if (config.staleness() == 0) return KernelSchedule::chromatic;  // the same trajectory
        note =
            "stale schedule: the spins alone are not a Markov chain (the state includes the last "
            "staleness + 1 sweeps); no exact kernel";
        return std::nullopt;
      },
      .kernel_name = [](const RunConfig&) { return RunConfig::chromatic; },
  };
  template <class Block>
  using Sweep = StaleSchedule<Block>;
};

}  // namespace spinfer
