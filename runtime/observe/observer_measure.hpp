#pragma once
// Observer: construction, measurement, the batch flush and what rank 0 records of it. Included
// by observer.cpp only, which instantiates the observer for every agent family.
#include <algorithm>
#include <cmath>
#include <limits>

#include "agents/core/error.hpp"
#include "agents/core/fixed_point.hpp"
#include "runtime/observe/observer.hpp"

namespace spinfer {
namespace observer_detail {

inline constexpr std::int64_t kNoEnergy = std::numeric_limits<std::int64_t>::max();
// Words per system and measurement of the per-chain series: spin sum, energy, free energy (fixed
// point), state index, sum of s_i s_j over directed edges, entropy production (fixed point) and
// its infinite terms.
inline constexpr std::size_t kChainWords = 7;

inline std::int64_t as_signed(std::uint64_t word) {
  return static_cast<std::int64_t>(word);
}

// [a * T + k]: the system at replica a's temperature k, from each system's temperature.
inline std::vector<int> systems_by_slot(const int* temperature, int systems, int temperatures) {
  std::vector<int> at(static_cast<std::size_t>(systems));
  for (int s = 0; s < systems; ++s) at[(s / temperatures) * temperatures + temperature[s]] = s;
  return at;
}

}  // namespace observer_detail

template <class Block>
Observer<Block>::Observer(const comm::Communicator& world, const Population<Block>& population,
                          const MeasurementPlan& plan)
    : plan_(plan),
      systems_(plan.replicas * plan.temperatures),
      patterns_(plan.patterns ? plan.patterns->count() : 0),
      keep_values_(!plan.chain_series && (plan.replica_overlaps || plan.lowest_energy)) {
  const LocalDomain& d = population.domain();
  local_patterns_.resize(static_cast<std::size_t>(patterns_ * d.owned_count));
  for (int mu = 0; mu < patterns_; ++mu)
    for (std::int64_t row = 0; row < d.owned_count; ++row)
      local_patterns_[mu * d.owned_count + row] =
          static_cast<State>(plan.patterns->values(mu, d.global_id(row)));
  bit_value_.assign(static_cast<std::size_t>(d.owned_count), 0);
  if (plan.exact) {
    const auto& free = plan.exact->free_agents;
    for (std::int64_t row = 0; row < d.owned_count; ++row) {
      const auto it = std::lower_bound(free.begin(), free.end(), d.global_id(row));
      if (it != free.end() && *it == d.global_id(row))
        bit_value_[row] = std::uint64_t{1} << (it - free.begin());
    }
  }
  if (plan.chain_series) chains_.resize(static_cast<std::size_t>(systems_));
  if (plan.chain_series) edge_sums_.assign(d.precisions.columns.size(), 0);
  series_.temperatures = plan.temperatures;
  series_.replicas = plan.replicas;
  series_.patterns = patterns_;
  if (plan.replica_overlaps)
    histograms_.assign(static_cast<std::size_t>(plan.temperatures),
                       OverlapHistogram(plan.n_agents));
  agent_sums_.assign(static_cast<std::size_t>(plan.temperatures * d.owned_count), 0);
  system_best_.assign(static_cast<std::size_t>(systems_), observer_detail::kNoEnergy);
  // Bytes of values one measurement keeps on the busiest rank.
  const double bytes = world.max(static_cast<double>(population.local_systems()) *
                                 static_cast<double>(d.owned_count) * sizeof(State));
  batch_limit_ =
      keep_values_
          ? static_cast<int>(std::clamp(static_cast<double>(kMaxBatchBytes) / std::max(bytes, 1.0),
                                        1.0, static_cast<double>(kMaxBatch)))
          : kMaxBatch;
}

template <class Block>
std::size_t Observer<Block>::words_per_system() const {
  return plan_.chain_series ? observer_detail::kChainWords
                            : 2 + static_cast<std::size_t>(patterns_);
}

template <class Block>
std::int64_t Observer<Block>::recorded() const {
  if (plan_.chain_series)
    return chains_.empty() ? 0 : static_cast<std::int64_t>(chains_.front().magnetization.size());
  return series_.samples();
}

template <class Block>
void Observer<Block>::measure(const comm::Communicator& world, const Population<Block>& population,
                              std::span<const int> temperature_of, std::int64_t sweep) {
  const LocalDomain& d = population.domain();
  const std::int64_t owned = d.owned_count;
  const auto& graph = d.precisions;
  const EntropyTally& tally = population.entropy_tally();
  pending_sweeps_.push_back(sweep);
  pending_temperatures_.insert(pending_temperatures_.end(), temperature_of.begin(),
                               temperature_of.end());
  for (int c = 0; c < population.local_systems(); ++c) {
    const int system = population.first_system() + c;
    const State* s = population.values(c);
    std::int64_t* sums = agent_sums_.data() + temperature_of[system] * owned;
    for (std::int64_t row = 0; row < owned; ++row) sums[row] += Block::value(s[row]);
    if (plan_.chain_series) {
      const typename Block::Sums local = population.block().measure_with_free_energy(s);
      std::uint64_t index = 0;
      std::int64_t edges = 0;
      for (std::int64_t row = 0; row < owned; ++row) {
        if (s[row] > 0) index += bit_value_[row];
        if (edge_sums_.empty()) continue;
        for (auto e = graph.row_offsets[row]; e < graph.row_offsets[row + 1]; ++e) {
          const std::int64_t product = Block::product(s[row], s[graph.columns[e]]);
          edge_sums_[e] += product;
          edges += product;
        }
      }
      const bool ep = plan_.entropy_production && tally.active();
      for (const std::uint64_t word :
           {static_cast<std::uint64_t>(local.spin), local.energy_fixed, local.free_energy_fixed,
            index, static_cast<std::uint64_t>(edges), ep ? tally.fixed_sum(c) : 0,
            ep ? tally.infinite_terms(c) : 0})
        pending_sums_.push_back(word);
      continue;
    }
    const typename Block::Sums local = population.local_sums(c);
    pending_sums_.push_back(static_cast<std::uint64_t>(local.spin));
    pending_sums_.push_back(local.energy_fixed);
    for (int mu = 0; mu < patterns_; ++mu) {
      const State* xi = local_patterns_.data() + mu * owned;
      std::int64_t dot = 0;
      for (std::int64_t row = 0; row < owned; ++row) dot += Block::product(xi[row], s[row]);
      pending_sums_.push_back(static_cast<std::uint64_t>(dot));
    }
    if (keep_values_) pending_values_.insert(pending_values_.end(), s, s + owned);
  }
  ++samples_;
  // Every rank measures at the same sweeps and knows the same limit: they flush together.
  if (static_cast<int>(pending_sweeps_.size()) >= batch_limit_) flush(world, population);
}

template <class Block>
void Observer<Block>::flush(const comm::Communicator& world, const Population<Block>& population) {
  const int batch = static_cast<int>(pending_sweeps_.size());
  if (batch == 0) return;  // the same on every rank
  const int T = plan_.temperatures;
  const int pairs = plan_.replica_overlaps ? series_.pairs() : 0;
  const int local = population.local_systems();
  const int first = population.first_system();
  const std::int64_t owned = population.domain().owned_count;
  const EnsembleLayout& layout = population.layout();

  // 1. The permutations: each system's temperature from the first rank of the group holding it
  //    (+1, so that 0 means "not mine"). One temperature: nothing to merge.
  std::vector<int> permutations(static_cast<std::size_t>(batch) * systems_, 0);
  if (T > 1) {
    std::vector<std::uint64_t> merged(permutations.size(), 0);
    if (layout.rank_in_group(world.rank()) == 0)
      for (int t = 0; t < batch; ++t)
        for (int c = 0; c < local; ++c)
          merged[t * systems_ + first + c] =
              static_cast<std::uint64_t>(pending_temperatures_[t * systems_ + first + c] + 1);
    world.sum_wrapping_in_place(merged);
    for (std::size_t i = 0; i < merged.size(); ++i)
      permutations[i] = static_cast<int>(merged[i]) - 1;
  }

  // 2. Values of every group's systems at this rank's position, for the overlaps.
  std::vector<State> gathered;
  std::vector<std::size_t> group_base(static_cast<std::size_t>(layout.groups), 0);
  if (pairs > 0 && layout.groups > 1) {
    gathered = population.cross_comm().all_gather(pending_values_);
    for (int g = 1; g < layout.groups; ++g)
      group_base[g] = group_base[g - 1] + static_cast<std::size_t>(batch) *
                                              layout.systems_in(g - 1) *
                                              static_cast<std::size_t>(owned);
  }
  const auto values_of = [&](int t, int system) -> const State* {
    if (layout.groups == 1 || population.holds(system))
      return pending_values_.data() +
             (static_cast<std::size_t>(t) * local + (system - first)) * owned;
    const int g = layout.group_of_system(system);
    return gathered.data() + group_base[g] +
           (static_cast<std::size_t>(t) * layout.systems_in(g) +
            (system - layout.first_system[g])) *
               owned;
  };

  // 3. Every sum of the batch: per measurement the systems' words, then agreements per
  //    temperature and pair; the group holding the first system of a pair counts it.
  const std::size_t words = words_per_system();
  const std::size_t width = words * systems_ + static_cast<std::size_t>(T) * pairs;
  std::vector<std::uint64_t> sums(width * batch, 0);
  for (int t = 0; t < batch; ++t) {
    std::uint64_t* row = sums.data() + width * t;
    std::copy_n(pending_sums_.data() + words * local * t, words * local, row + words * first);
    if (pairs == 0) continue;
    const std::vector<int> at = observer_detail::systems_by_slot(
        permutations.data() + static_cast<std::ptrdiff_t>(t) * systems_, systems_, T);
    for (int k = 0; k < T; ++k) {
      int pair = 0;
      for (int a = 0; a < plan_.replicas; ++a)
        for (int b = a + 1; b < plan_.replicas; ++b, ++pair) {
          const int x = at[a * T + k], y = at[b * T + k];
          if (!population.holds(x)) continue;
          const State* sx = values_of(t, x);
          const State* sy = values_of(t, y);
          std::int64_t dot = 0;
          for (std::int64_t i = 0; i < owned; ++i) dot += Block::product(sx[i], sy[i]);
          row[words * systems_ + static_cast<std::size_t>(k) * pairs + pair] =
              static_cast<std::uint64_t>(dot);
        }
    }
  }
  world.sum_wrapping_in_place(sums);
  record_batch(sums, permutations, population);
  pending_sweeps_.clear();
  pending_temperatures_.clear();
  pending_sums_.clear();
  pending_values_.clear();
}

template <class Block>
void Observer<Block>::record_chains(const std::uint64_t* row) {
  using observer_detail::as_signed;
  const double n = static_cast<double>(plan_.n_agents);
  for (int c = 0; c < systems_; ++c) {
    ChainSeries& out = chains_[c];
    const std::uint64_t* in = row + observer_detail::kChainWords * c;
    out.magnetization.push_back(static_cast<double>(as_signed(in[0])) / n);
    out.energy.push_back(fixed_point::to_double(in[1]) / (plan_.beta * n));
    out.free_energy.push_back(fixed_point::to_double(in[2]) / n);
    if (plan_.exact) out.state.push_back(static_cast<std::uint32_t>(in[3]));
    if (plan_.directed_edges > 0)
      out.edge_correlation.push_back(static_cast<double>(as_signed(in[4])) /
                                     static_cast<double>(plan_.directed_edges));
    if (plan_.entropy_production)
      out.entropy_production.push_back(in[6] > 0 ? std::numeric_limits<double>::infinity()
                                                 : fixed_point::to_double(in[5]));
  }
}

// The lowest energy, decided from the reduced totals: the same on every rank.
template <class Block>
void Observer<Block>::record_lowest(const std::uint64_t* row, int t,
                                    const Population<Block>& population) {
  const std::size_t words = words_per_system();
  const auto energy = [&](int s) { return observer_detail::as_signed(row[words * s + 1]); };
  int lowest = 0;
  for (int s = 0; s < systems_; ++s) {
    system_best_[s] = std::min(system_best_[s], energy(s));
    if (energy(s) < energy(lowest)) lowest = s;
  }
  if (found_ && energy(lowest) >= best_fixed_) return;
  found_ = true;
  best_fixed_ = energy(lowest);
  best_system_ = lowest;
  best_sweep_ = pending_sweeps_[t];
  best_values_.clear();
  if (!population.holds(lowest)) return;
  const std::int64_t owned = population.domain().owned_count;
  const State* s =
      pending_values_.data() + (static_cast<std::size_t>(t) * population.local_systems() +
                                (lowest - population.first_system())) *
                                   owned;
  best_values_.assign(s, s + owned);
}

template <class Block>
void Observer<Block>::record_batch(const std::vector<std::uint64_t>& sums,
                                   const std::vector<int>& permutations,
                                   const Population<Block>& population) {
  using observer_detail::as_signed;
  const int batch = static_cast<int>(pending_sweeps_.size());
  const int T = plan_.temperatures;
  const int pairs = plan_.replica_overlaps ? series_.pairs() : 0;
  const std::size_t words = words_per_system();
  const std::size_t width = words * systems_ + static_cast<std::size_t>(T) * pairs;
  const double n = static_cast<double>(plan_.n_agents);
  for (int t = 0; t < batch; ++t) {
    const std::uint64_t* row = sums.data() + width * t;
    if (plan_.chain_series) {
      record_chains(row);
      continue;
    }
    if (plan_.lowest_energy) record_lowest(row, t, population);
    const std::vector<int> at = observer_detail::systems_by_slot(
        permutations.data() + static_cast<std::ptrdiff_t>(t) * systems_, systems_, T);
    for (int k = 0; k < T; ++k)
      for (int a = 0; a < plan_.replicas; ++a) {
        const std::uint64_t* of = row + words * at[a * T + k];
        series_.magnetization.push_back(static_cast<double>(as_signed(of[0])) / n);
        series_.energy.push_back(fixed_point::to_double(of[1]) / n);
        for (int mu = 0; mu < patterns_; ++mu)
          series_.pattern.push_back(static_cast<double>(as_signed(of[2 + mu])) / n);
      }
    for (int k = 0; k < T; ++k)
      for (int p = 0; p < pairs; ++p) {
        const std::int64_t agreements =
            as_signed(row[words * systems_ + static_cast<std::size_t>(k) * pairs + p]);
        series_.overlap.push_back(static_cast<double>(agreements) / n);
        histograms_[k].add_agreements(agreements);
      }
  }
}

}  // namespace spinfer
