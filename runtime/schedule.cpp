#include "schedule.hpp"

#include "agents/random_streams.hpp"
#include "comm/halo_exchange.hpp"

namespace spinfer {

std::string to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::random_sequential:
      return "random_sequential";
    case ScheduleKind::chromatic:
      return "chromatic";
    case ScheduleKind::synchronous:
      return "synchronous";
  }
  return "unknown";
}

namespace {

__extension__ using uint128 = unsigned __int128;

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

comm::HaloExchange full_halo(const ScheduleInputs& in) {
  return comm::HaloExchange(in.comm, in.domain.owned_first, in.domain.owned_count,
                            in.domain.ghost_ids, in.domain.ghost_owners);
}

class ChromaticSchedule final : public Schedule {
 public:
  explicit ChromaticSchedule(const ScheduleInputs& in) : uniforms_(in.seed, in.domain) {
    const auto& colour_of = in.colouring.colour_of;
    phases_.resize(in.colouring.colours);
    for (auto row : in.free_rows) phases_[colour_of[in.domain.global_id(row)]].push_back(row);
    const comm::HaloExchange all = full_halo(in);
    // After colour c acts only colour-c spins changed, so only those travel.
    for (int c = 0; c < in.colouring.colours; ++c)
      halos_.push_back(all.restricted(
          [&, c](std::int32_t slot) { return colour_of[in.domain.global_id(slot)] == c; }));
  }

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep) override {
    const std::uint32_t* u = uniforms_.fill(states.chains(), sweep);
    for (std::size_t c = 0; c < phases_.size(); ++c) {
      for (int k = 0; k < states.chains(); ++k)
        block.act(phases_[c], states.chain(k), states.chain(k), u + k * uniforms_.stride());
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
      : uniforms_(in.seed, in.domain), free_rows_(in.free_rows), halo_(full_halo(in)) {}

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep) override {
    // The first sweep copies everything, clamped spins included; afterwards clamped and free
    // slots are written identically into both buffers, so swapping is enough.
    if (!next_) next_ = std::make_unique<ChainStates>(states);
    const std::uint32_t* u = uniforms_.fill(states.chains(), sweep);
    for (int k = 0; k < states.chains(); ++k)
      block.act(free_rows_, states.chain(k), next_->chain(k), u + k * uniforms_.stride());
    states.swap(*next_);
    halo_.exchange(states.data(), states.chains(), states.stride());
  }

 private:
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

  void sweep(const IsingBlock& block, ChainStates& states, std::uint64_t sweep) override {
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
        s[row] = block.act_one(row, s, r[2]);
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
  }
  return nullptr;
}

}  // namespace spinfer
