#include "runtime/population/ensemble.hpp"

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "agents/core/state_hash.hpp"
#include "agents/ising/ising_block.hpp"

namespace spinfer {

Partition group_partition(const SpinGlass& glass, ScheduleKind schedule, int ranks_per_group) {
  const AgentId n = glass.couplings.size();
  if (schedule == ScheduleKind::random_sequential)
    return single_owner_partition(n, ranks_per_group);
  try {
    return balanced_partition(n, ranks_per_group, glass.lattice);
  } catch (const Error& e) {
    throw Error(std::string("layout.groups: ") + e.what() + " (ranks per group)");
  }
}

Ensemble::Ensemble(const comm::Communicator& world, const SpinGlass& glass,
                   const EnsembleLayout& layout, const EnsembleSpec& spec)
    : layout_(layout),
      group_(layout.group_of_rank(world.rank())),
      group_comm_(world.split(group_, world.rank())),
      cross_comm_(world.split(layout.rank_in_group(world.rank()), group_)),
      partition_(group_partition(glass, spec.schedule, layout.ranks_per_group)),
      domain_(make_local_domain(glass.couplings, partition_, group_comm_.rank())),
      colouring_(spec.schedule == ScheduleKind::chromatic ? colour_graph(glass.couplings)
                                                          : Colouring{}),
      block_(domain_.precisions, spec.betas, has_common_precision(glass.couplings)),
      states_(layout.systems_in(group_), domain_.slots()) {
  for (int c = 0; c < states_.chains(); ++c) systems_.push_back(first_system() + c);
  temperature_.assign(systems_.size(), 0);
  for (int c = 0; c < states_.chains(); ++c) {
    std::int8_t* s = states_.chain(c);
    const int system = systems_[c];
    if (spec.initial_state) {
      const std::vector<std::int8_t> start = spec.initial_state(system);
      for (std::int64_t slot = 0; slot < domain_.slots(); ++slot)
        s[slot] = start[static_cast<std::size_t>(domain_.global_id(slot))];
      continue;
    }
    // As Collective: a function of (seed, system, global id), ghosts included.
    for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
      const AgentId g = domain_.global_id(slot);
      const auto word = random_block(spec.seed, StreamPurpose::initial_state,
                                     static_cast<std::uint32_t>(system), 0, g / 4)[g % 4];
      s[slot] = (word >> 31) ? 1 : -1;
    }
  }
  sweeper_ = make_tempered_sweep(spec.schedule,
                                 TemperedSweepInputs{group_comm_, domain_, colouring_, spec.seed});
}

void Ensemble::sweep(std::uint64_t sweep_index, const std::vector<int>& temperature_of) {
  for (std::size_t c = 0; c < systems_.size(); ++c) temperature_[c] = temperature_of[systems_[c]];
  bonds_.resize(systems_.size());
  bonds_fresh_ =
      sweeper_->sweep(block_, states_, systems_, temperature_, sweep_index, bonds_.data());
}

LadderBlock::Sums Ensemble::local_sums(int local) const {
  if (!bonds_fresh_) return block_.measure(spins(local));
  LadderBlock::Sums sums;
  const std::int8_t* s = spins(local);
  for (std::int64_t row = 0; row < domain_.owned_count; ++row) sums.spin += s[row];
  // The second colour's bonds count each edge once; measure() counts it from both ends.
  sums.energy_fixed = block_.energy_fixed(2 * bonds_[local], sums.spin);
  return sums;
}

std::vector<std::uint64_t> Ensemble::energies(const comm::Communicator& world) const {
  std::vector<std::uint64_t> e(static_cast<std::size_t>(layout_.systems()), 0);
  for (int c = 0; c < local_systems(); ++c)
    e[systems_[c]] = bonds_fresh_ && !block_.energy_needs_spins()
                         ? block_.energy_fixed(2 * bonds_[c], 0)  // every sweep: keep it cheap
                         : local_sums(c).energy_fixed;
  world.sum_wrapping_in_place(e);
  return e;
}

std::vector<std::int8_t> Ensemble::owned_bytes(int local) const {
  const std::int8_t* s = spins(local);
  std::vector<std::int8_t> bytes(static_cast<std::size_t>(domain_.owned_count));
  for (std::int64_t row = 0; row < domain_.owned_count; ++row) bytes[row] = s[row] > 0 ? 1 : 0;
  return bytes;
}

void Ensemble::restore_system(int local, std::string_view bytes) {
  bonds_fresh_ = false;
  const auto n = static_cast<AgentId>(bytes.size());
  std::int8_t* s = states_.chain(local);
  for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
    const AgentId g = domain_.global_id(slot);
    if (g >= n)
      throw field_error("checkpoint", "system " + std::to_string(systems_[local]),
                        "holds " + std::to_string(n) + " agents, the population more");
    s[slot] = bytes[static_cast<std::size_t>(g)] != 0 ? 1 : -1;
  }
}

std::uint64_t Ensemble::state_hash(const comm::Communicator& world) const {
  std::uint64_t sum = 0;
  for (int c = 0; c < local_systems(); ++c) {
    const std::int8_t* s = spins(c);
    for (std::int64_t row = 0; row < domain_.owned_count; ++row) {
      const auto g = static_cast<std::uint64_t>(domain_.global_id(row));
      sum += agent_state_hash(static_cast<std::uint64_t>(systems_[c]), g, s[row]);
    }
  }
  return world.sum_wrapping(sum);
}

}  // namespace spinfer
