// The stale schedule: a reproducible emulation of workers that act without waiting for each
// other. The population is cut into stale domains; an agent reads neighbours in its own domain as
// the chromatic schedule would, and neighbours in other domains exactly d sweeps later than that:
// at sweep t, phase c, a neighbour j of another domain shows its state at the end of sweep t - d
// when j's colour comes before c, and at the end of sweep t - 1 - d otherwise (the state before
// sweep 0 standing in for earlier ones). d = 0 reads exactly what chromatic reads.
//
// The agents act on an extended state of 2 S slots (S = this rank's slots): their edges to
// fresh neighbours index slots [0, S) as usual, their edges to stale ones index [S, 2 S), which
// hold the delayed values. The hot loop is IsingBlock's, unchanged.
#include <algorithm>
#include <cstring>

#include "runtime/schedules/schedule.hpp"
#include "runtime/schedules/schedule_parts.hpp"

namespace spinfer {
namespace {

class StaleSchedule final : public Schedule {
 public:
  explicit StaleSchedule(const ScheduleInputs& in)
      : domain_(in.domain),
        slots_(in.domain.slots()),
        depth_(in.staleness),
        uniforms_(in.seed, in.domain),
        phases_(schedule_parts::colour_phases(in)),
        halos_(schedule_parts::colour_halos(in, schedule_parts::full_halo(in))),
        stale_by_colour_(static_cast<std::size_t>(in.colouring.colours)),
        block_(extended_graph(in), in.block.rule(), in.block.uses_lookup_table(),
               in.block.policy_precision()) {
    for (const std::int32_t slot : stale_slots_)
      stale_by_colour_[in.colouring.colour_of[domain_.global_id(slot)]].push_back(slot);
  }

  void sweep(const IsingBlock& /*block: the extended block_ acts instead*/, ChainStates& states,
             std::uint64_t sweep, EntropyTally* tally) override {
    const int chains = states.chains();
    const std::int64_t width = 2 * slots_;
    if (depth_ > 0 && !history_ready_) start_history(states);
    work_.resize(static_cast<std::size_t>(chains * width));
    const auto t = static_cast<std::int64_t>(sweep);
    for (int k = 0; k < chains; ++k) {
      std::int8_t* w = work_.data() + k * width;
      std::memcpy(w, states.chain(k), static_cast<std::size_t>(slots_));
      // Before phase c every stale neighbour of a later colour shows sweep t - 1 - d.
      const std::int8_t* old = depth_ > 0 ? snapshot(k, t - 1 - depth_) : w;
      for (const std::int32_t j : stale_slots_) w[slots_ + j] = old[j];
    }
    const std::uint32_t* u = uniforms_.fill(chains, sweep);
    for (std::size_t c = 0; c < phases_.size(); ++c) {
      for (int k = 0; k < chains; ++k)
        schedule_parts::act_phase(block_, phases_[c], work_.data() + k * width,
                                  u + k * uniforms_.stride(), tally, k);
      halos_[c].exchange(work_.data(), chains, width);
      // From the next phase on, colour c's stale neighbours show sweep t - d.
      for (int k = 0; k < chains; ++k) {
        std::int8_t* w = work_.data() + k * width;
        const std::int8_t* newer = depth_ > 0 ? snapshot(k, t - depth_) : w;
        for (const std::int32_t j : stale_by_colour_[c]) w[slots_ + j] = newer[j];
      }
    }
    for (int k = 0; k < chains; ++k) {
      const std::int8_t* w = work_.data() + k * width;
      std::memcpy(states.chain(k), w, static_cast<std::size_t>(slots_));
      if (depth_ > 0) std::memcpy(snapshot(k, t), w, static_cast<std::size_t>(slots_));
    }
  }

  [[nodiscard]] int history_length() const override { return depth_ > 0 ? depth_ + 1 : 0; }

  [[nodiscard]] std::vector<std::int8_t> history_bytes(int chain, int index,
                                                       std::int64_t completed) const override {
    const std::int8_t* s = snapshot(chain, completed - 1 - depth_ + index);
    std::vector<std::int8_t> bytes(static_cast<std::size_t>(domain_.owned_count));
    for (std::int64_t row = 0; row < domain_.owned_count; ++row) bytes[row] = s[row] > 0 ? 1 : 0;
    return bytes;
  }

  void restore_history(int chain, int index, std::int64_t completed,
                       std::string_view population_bytes) override {
    const auto needed = static_cast<std::size_t>((chain + 1) * (depth_ + 1) * slots_);
    if (history_.size() < needed) history_.resize(needed, 1);  // chains arrive in order
    std::int8_t* s = snapshot(chain, completed - 1 - depth_ + index);
    for (std::int64_t slot = 0; slot < slots_; ++slot)
      s[slot] = population_bytes[static_cast<std::size_t>(domain_.global_id(slot))] != 0 ? 1 : -1;
    history_ready_ = true;
  }

 private:
  // The local graph with every edge to a neighbour of another stale domain moved to [S, 2 S).
  WeightedGraph extended_graph(const ScheduleInputs& in) {
    WeightedGraph g = in.domain.precisions;
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
  void allocate_history(int chains) {
    history_.assign(static_cast<std::size_t>(chains * (depth_ + 1) * slots_), 1);
  }
  void start_history(const ChainStates& states) {
    allocate_history(states.chains());
    for (int k = 0; k < states.chains(); ++k)
      for (int m = 0; m <= depth_; ++m)
        std::memcpy(history_.data() + (k * (depth_ + 1) + m) * slots_, states.chain(k),
                    static_cast<std::size_t>(slots_));
    history_ready_ = true;
  }
  [[nodiscard]] std::int64_t ring_index(int chain, std::int64_t sweep) const {
    const std::int64_t period = depth_ + 1;
    const std::int64_t m = std::max<std::int64_t>(sweep, -1);  // before sweep 0: the start
    return (chain * period + ((m % period) + period) % period) * slots_;
  }
  std::int8_t* snapshot(int chain, std::int64_t sweep) {
    return history_.data() + ring_index(chain, sweep);
  }
  [[nodiscard]] const std::int8_t* snapshot(int chain, std::int64_t sweep) const {
    return history_.data() + ring_index(chain, sweep);
  }

  const LocalDomain& domain_;
  std::int64_t slots_;
  int depth_;
  schedule_parts::ActionUniforms uniforms_;
  std::vector<std::vector<std::int32_t>> phases_;
  std::vector<comm::HaloExchange> halos_;
  std::vector<std::int32_t> stale_slots_;  // filled by extended_graph, before block_
  std::vector<std::vector<std::int32_t>> stale_by_colour_;
  IsingBlock block_;
  std::vector<std::int8_t> work_;     // chains x 2 S
  std::vector<std::int8_t> history_;  // chains x (d + 1) x S
  bool history_ready_ = false;
};

}  // namespace

std::unique_ptr<Schedule> make_stale_schedule(const ScheduleInputs& inputs) {
  return std::make_unique<StaleSchedule>(inputs);
}

}  // namespace spinfer
