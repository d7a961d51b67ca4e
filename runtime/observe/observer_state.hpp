#pragma once
// Observer: what it hands over at the end (per-agent means, the lowest state) and what it saves
// in checkpoints (per-agent sums in the record, the series as rows of the series file). Included
// by observer.cpp only.
#include <bit>

#include "runtime/io/record_span.hpp"
#include "runtime/observe/observer_measure.hpp"

namespace spinfer {

// Per-agent sums at every temperature, [k * N + i], on rank 0: summed over the groups (each
// holds other systems at every temperature) at each position, then gathered from group 0 in
// rank order, which is global id order. No rank but 0 ever holds all of them.
template <class Block>
std::vector<std::uint64_t> Observer<Block>::agent_sums_to_root(
    const comm::Communicator& world, const Population<Block>& population) const {
  const std::int64_t owned = population.domain().owned_count;
  std::vector<std::uint64_t> mine(agent_sums_.size());
  for (std::size_t i = 0; i < mine.size(); ++i)
    mine[i] = static_cast<std::uint64_t>(agent_sums_[i]);
  population.cross_comm().sum_wrapping_in_place(mine);
  std::vector<std::uint64_t> all;
  for (int k = 0; k < plan_.temperatures; ++k) {
    std::vector<std::int64_t> block;
    if (population.group() == 0)
      for (std::int64_t row = 0; row < owned; ++row)
        block.push_back(static_cast<std::int64_t>(mine[k * owned + row]));
    for (const std::int64_t v : world.gather_to_root(block))
      all.push_back(static_cast<std::uint64_t>(v));
  }
  return all;
}

template <class Block>
std::vector<double> Observer<Block>::magnetizations(const comm::Communicator& world,
                                                    const Population<Block>& population) const {
  const std::vector<std::uint64_t> sums = agent_sums_to_root(world, population);
  if (!world.is_root()) return {};
  // Each measurement adds every replica once at every temperature. The two run kinds divide as
  // they always have (a run at one beta multiplies by the reciprocal), so no result changes.
  const double count = static_cast<double>(samples_) * plan_.replicas;
  const double scale = count > 0 ? 1.0 / count : 0.0;
  std::vector<double> m(sums.size());
  for (std::size_t i = 0; i < sums.size(); ++i) {
    const auto sum = static_cast<double>(observer_detail::as_signed(sums[i]));
    m[i] = plan_.chain_series ? sum * scale : (count > 0 ? sum / count : 0.0);
  }
  return m;
}

template <class Block>
std::vector<double> Observer<Block>::edge_correlations(const comm::Communicator& world) const {
  const double count = static_cast<double>(samples_) * plan_.replicas;
  const double scale = count > 0 ? 1.0 / count : 0.0;
  std::vector<double> mean(edge_sums_.size());
  for (std::size_t k = 0; k < edge_sums_.size(); ++k)
    mean[k] = static_cast<double>(edge_sums_[k]) * scale;
  return world.gather_to_root(mean);
}

template <class Block>
typename Observer<Block>::Best Observer<Block>::best(const comm::Communicator& world) const {
  Best b;
  b.found = found_;
  b.energy = fixed_point::to_double(static_cast<std::uint64_t>(best_fixed_));
  b.system = best_system_;
  b.sweep = best_sweep_;
  b.values = world.gather_to_root(best_values_);
  for (std::int64_t e : system_best_)
    b.system_energy.push_back(e == observer_detail::kNoEnergy
                                  ? std::numeric_limits<double>::quiet_NaN()
                                  : fixed_point::to_double(static_cast<std::uint64_t>(e)));
  return b;
}

template <class Block>
void Observer<Block>::save(const comm::Communicator& world, const Population<Block>& population,
                           record::Checkpoint& checkpoint) {
  flush(world, population);
  const std::vector<std::uint64_t> sums = agent_sums_to_root(world, population);
  const std::vector<std::int64_t> edges = world.gather_to_root(edge_sums_);
  std::vector<std::int8_t> bytes(best_values_.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = Block::to_byte(best_values_[i]);
  const std::vector<std::int8_t> best = world.gather_to_root(bytes);
  if (!world.is_root()) return;
  for (std::uint64_t s : sums) checkpoint.add_spin_sum(observer_detail::as_signed(s));
  *checkpoint.mutable_edge_sum() = {edges.begin(), edges.end()};
  checkpoint.set_samples(samples_);
  record::EnsembleState& state = *checkpoint.mutable_ensemble();
  state.set_best_energy_fixed(found_ ? static_cast<std::uint64_t>(best_fixed_) : 0);
  state.set_best_system(found_ ? best_system_ : -1);
  state.set_best_sweep(best_sweep_);
  state.set_best_spins(reinterpret_cast<const char*>(best.data()), best.size());
  for (std::int64_t e : system_best_) state.add_system_best_fixed(static_cast<std::uint64_t>(e));
}

template <class Block>
void Observer<Block>::restore(const comm::Communicator& world, const record::Checkpoint& checkpoint,
                              const Population<Block>& population) {
  const LocalDomain& d = population.domain();
  const AgentId n = plan_.n_agents;
  // The saved sums are totals over all groups: group 0 carries them on, the others restart
  // from zero, so that the next reduction counts them once.
  std::vector<comm::Communicator::Range> agents;
  if (population.group() == 0)
    for (int k = 0; k < plan_.temperatures; ++k)
      agents.push_back({k * n + d.owned_first, d.owned_count});
  auto sums = world.scatter_ranges(as_span(checkpoint.spin_sum()), plan_.temperatures * n, agents);
  // Per-edge sums: a run at one beta only (its edges.csv).
  std::vector<comm::Communicator::Range> edges;
  if (plan_.chain_series)
    edges.push_back(
        {population.global_edge_offset(), static_cast<std::int64_t>(edge_sums_.size())});
  auto edge_sums = world.scatter_ranges(as_span(checkpoint.edge_sum()),
                                        plan_.chain_series ? population.global_edges() : 0, edges);
  const record::EnsembleState& state = checkpoint.ensemble();
  if (!sums || !edge_sums || state.system_best_fixed_size() != systems_)
    throw field_error("checkpoint", "per-agent sums", "sizes do not match the population");
  samples_ = checkpoint.samples();
  if (population.group() == 0)
    agent_sums_ = std::move(*sums);
  else
    std::fill(agent_sums_.begin(), agent_sums_.end(), 0);
  if (plan_.chain_series) edge_sums_ = std::move(*edge_sums);
  found_ = state.best_system() >= 0;
  best_fixed_ = static_cast<std::int64_t>(state.best_energy_fixed());
  best_system_ = state.best_system();
  best_sweep_ = state.best_sweep();
  best_values_.clear();
  if (found_ && population.holds(best_system_)) {
    if (static_cast<AgentId>(state.best_spins().size()) != n)
      throw field_error("checkpoint", "best_spins", "size does not match the population");
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      best_values_.push_back(Block::from_byte(state.best_spins()[d.owned_first + row]));
  }
  for (int s = 0; s < systems_; ++s)
    system_best_[s] = static_cast<std::int64_t>(state.system_best_fixed(s));
}

}  // namespace spinfer
