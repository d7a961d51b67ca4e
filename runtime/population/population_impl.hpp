#pragma once
// Population's member definitions, included by population.cpp, which instantiates them for
// every agent family (one line per family).
#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "runtime/population/population.hpp"

namespace spinfer {

template <class Block>
Population<Block>::Population(const comm::Communicator& world, const PopulationSpec<Block>& spec)
    : layout_(spec.layout),
      group_(layout_.group_of_rank(world.rank())),
      group_comm_(world.split(group_, world.rank())),
      cross_comm_(world.split(layout_.rank_in_group(world.rank()), group_)),
      domain_(make_local_domain(*spec.graph, spec.partition, group_comm_.rank())),
      global_edge_offset_(spec.graph->row_offsets[domain_.owned_first]),
      global_edges_(spec.graph->row_offsets.back()),
      colouring_(schedule_traits(spec.schedule).colour_phases ? colour_graph(*spec.graph)
                                                              : Colouring{}),
      block_(spec.make_block(domain_.precisions)),
      states_(layout_.systems_in(group_), domain_.slots()),
      count_bonds_(spec.count_bonds) {
  std::vector<State> clamp_value(static_cast<std::size_t>(spec.graph->size()), State{0});
  std::vector<bool> clamped(clamp_value.size(), false);
  for (const auto& c : spec.clamped) {
    clamp_value[c.agent] = static_cast<State>(c.value);
    clamped[c.agent] = true;
  }
  for (std::int64_t row = 0; row < domain_.owned_count; ++row)
    if (!clamped[domain_.global_id(row)]) free_rows_.push_back(static_cast<std::int32_t>(row));
  for (int c = 0; c < states_.systems(); ++c) systems_.push_back(first_system() + c);
  temperature_.assign(systems_.size(), 0);

  // Initial values, ghosts included, are a function of (seed, system, global id) alone, so
  // every rank agrees on its ghosts before the first exchange.
  for (int c = 0; c < states_.systems(); ++c) {
    State* s = states_.system(c);
    const int system = systems_[c];
    const std::vector<State> start =
        spec.initial_state ? spec.initial_state(system) : std::vector<State>{};
    for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
      const AgentId g = domain_.global_id(slot);
      if (!start.empty()) {
        s[slot] = start[static_cast<std::size_t>(g)];
        continue;
      }
      const auto word = random_block(spec.seed, StreamPurpose::initial_state,
                                     static_cast<std::uint32_t>(system), 0, g / 4)[g % 4];
      s[slot] = clamped[g] ? clamp_value[g] : Block::random_state(word);
    }
  }
  schedule_ = make_schedule<Block>(
      spec.schedule, ScheduleInputs<Block>{group_comm_, domain_, colouring_, free_rows_, spec.seed,
                                           block_, spec.staleness, spec.stale_domains});
}

template <class Block>
void Population<Block>::sweep(std::uint64_t sweep_index, std::span<const int> temperature_of,
                              bool tally_entropy) {
  for (std::size_t c = 0; c < systems_.size(); ++c) temperature_[c] = temperature_of[systems_[c]];
  if (tally_entropy) tally_.reset(states_.systems());
  bonds_.resize(systems_.size());
  const SweepContext context{sweep_index, systems_, temperature_, tally_entropy ? &tally_ : nullptr,
                             count_bonds_ ? bonds_.data() : nullptr};
  bonds_fresh_ = schedule_->sweep(block_, states_, context);
}

template <class Block>
typename Block::Sums Population<Block>::local_sums(int local) const {
  if (!bonds_fresh_) return block_.measure(values(local));
  typename Block::Sums sums;
  const State* s = values(local);
  for (std::int64_t row = 0; row < domain_.owned_count; ++row) sums.spin += s[row];
  // The second colour's bonds count each edge once; measure() counts it from both ends.
  sums.energy_fixed = block_.energy_fixed(2 * bonds_[local], sums.spin);
  return sums;
}

template <class Block>
std::vector<std::uint64_t> Population<Block>::energies(const comm::Communicator& world) const {
  std::vector<std::uint64_t> e(static_cast<std::size_t>(layout_.systems()), 0);
  for (int c = 0; c < local_systems(); ++c)
    e[systems_[c]] = bonds_fresh_ && !block_.energy_needs_spins()
                         ? block_.energy_fixed(2 * bonds_[c], 0)  // every sweep: keep it cheap
                         : local_sums(c).energy_fixed;
  world.sum_wrapping_in_place(e);
  return e;
}

template <class Block>
std::vector<std::int8_t> Population<Block>::owned_bytes(int local) const {
  const State* s = values(local);
  std::vector<std::int8_t> bytes(static_cast<std::size_t>(domain_.owned_count));
  for (std::int64_t row = 0; row < domain_.owned_count; ++row) bytes[row] = Block::to_byte(s[row]);
  return bytes;
}

template <class Block>
std::vector<typename Block::State> Population<Block>::slot_values(std::string_view bytes,
                                                                  const std::string& what) const {
  const auto n = static_cast<AgentId>(bytes.size());
  std::vector<State> values(static_cast<std::size_t>(domain_.slots()));
  for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
    const AgentId g = domain_.global_id(slot);
    if (g >= n)
      throw field_error("checkpoint", what,
                        "holds " + std::to_string(n) + " agents, the population more");
    values[slot] = Block::from_byte(bytes[static_cast<std::size_t>(g)]);
  }
  return values;
}

template <class Block>
void Population<Block>::restore_system(int local, std::string_view bytes, const std::string& what) {
  bonds_fresh_ = false;
  const std::vector<State> values = slot_values(bytes, what);
  std::copy(values.begin(), values.end(), states_.system(local));
}

template <class Block>
std::vector<std::int8_t> Population<Block>::history_bytes(int local, int index,
                                                          std::int64_t completed) const {
  const std::vector<State> values = schedule_->history(local, index, completed);
  std::vector<std::int8_t> bytes(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) bytes[k] = Block::to_byte(values[k]);
  return bytes;
}

template <class Block>
void Population<Block>::restore_history(int local, int index, std::int64_t completed,
                                        std::string_view bytes, const std::string& what) {
  schedule_->restore_history(local, index, completed, slot_values(bytes, what));
}

template <class Block>
std::uint64_t Population<Block>::state_hash(const comm::Communicator& world) const {
  std::uint64_t sum = 0;
  for (int c = 0; c < local_systems(); ++c) {
    const State* s = values(c);
    for (std::int64_t row = 0; row < domain_.owned_count; ++row) {
      const auto g = static_cast<std::uint64_t>(domain_.global_id(row));
      sum += Block::state_hash(static_cast<std::uint64_t>(systems_[c]), g, s[row]);
    }
  }
  return world.sum_wrapping(sum);
}

}  // namespace spinfer
