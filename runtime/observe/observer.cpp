// The observer's series as rows of the checkpoint's series file, and its instantiations.
#include "runtime/observe/observer.hpp"

#include "agents/ising/ising_block.hpp"
#include "runtime/observe/observer_state.hpp"

namespace spinfer {
namespace {

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}
double value(std::uint64_t word) {
  return std::bit_cast<double>(word);
}

}  // namespace

// Per-chain series: per measurement and chain its magnetization, energy and free energy, then
// the state index, edge correlation and entropy production when measured. Per-temperature
// series: per measurement the energies, magnetizations and pattern overlaps in (temperature,
// replica) order, then the replica overlaps in (temperature, pair) order.
template <class Block>
int Observer<Block>::series_width() const {
  if (plan_.chain_series) {
    const int per_chain = 3 + (plan_.exact ? 1 : 0) + (plan_.directed_edges > 0 ? 1 : 0) +
                          (plan_.entropy_production ? 1 : 0);
    return per_chain * systems_;
  }
  const int pairs = plan_.replica_overlaps ? series_.pairs() : 0;
  return systems_ * (2 + patterns_) + plan_.temperatures * pairs;
}

template <class Block>
void Observer<Block>::encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const {
  if (plan_.chain_series) {
    for (std::int64_t t = first_row; t < recorded(); ++t)
      for (const ChainSeries& chain : chains_) {
        const auto k = static_cast<std::size_t>(t);
        out.push_back(bits(chain.magnetization[k]));
        out.push_back(bits(chain.energy[k]));
        out.push_back(bits(chain.free_energy[k]));
        if (plan_.exact) out.push_back(chain.state[k]);
        if (plan_.directed_edges > 0) out.push_back(bits(chain.edge_correlation[k]));
        if (plan_.entropy_production) out.push_back(bits(chain.entropy_production[k]));
      }
    return;
  }
  const auto per_sample = static_cast<std::size_t>(systems_);
  const auto pattern_width = per_sample * static_cast<std::size_t>(patterns_);
  const auto overlap_width =
      static_cast<std::size_t>(plan_.temperatures) * (plan_.replica_overlaps ? series_.pairs() : 0);
  const auto append = [&out](const std::vector<double>& values, std::size_t from,
                             std::size_t count) {
    for (std::size_t k = from; k < from + count; ++k) out.push_back(bits(values[k]));
  };
  for (auto t = static_cast<std::size_t>(first_row); t < static_cast<std::size_t>(recorded());
       ++t) {
    append(series_.energy, t * per_sample, per_sample);
    append(series_.magnetization, t * per_sample, per_sample);
    append(series_.pattern, t * pattern_width, pattern_width);
    append(series_.overlap, t * overlap_width, overlap_width);
  }
}

template <class Block>
void Observer<Block>::restore_series(std::span<const std::uint64_t> rows) {
  const auto width = static_cast<std::size_t>(series_width());
  if (plan_.chain_series) {
    for (ChainSeries& chain : chains_) chain = ChainSeries{};
    for (std::size_t at = 0; at + width <= rows.size();)
      for (ChainSeries& chain : chains_) {
        chain.magnetization.push_back(value(rows[at++]));
        chain.energy.push_back(value(rows[at++]));
        chain.free_energy.push_back(value(rows[at++]));
        if (plan_.exact) chain.state.push_back(static_cast<std::uint32_t>(rows[at++]));
        if (plan_.directed_edges > 0) chain.edge_correlation.push_back(value(rows[at++]));
        if (plan_.entropy_production) chain.entropy_production.push_back(value(rows[at++]));
      }
    return;
  }
  const auto per_sample = static_cast<std::size_t>(systems_);
  const auto pattern_width = per_sample * static_cast<std::size_t>(patterns_);
  const int pairs = plan_.replica_overlaps ? series_.pairs() : 0;
  const auto overlap_width = static_cast<std::size_t>(plan_.temperatures) * pairs;
  series_.energy.clear();
  series_.magnetization.clear();
  series_.pattern.clear();
  series_.overlap.clear();
  const auto take = [&rows](std::size_t& at, std::size_t count, std::vector<double>& into) {
    for (std::size_t k = 0; k < count; ++k) into.push_back(value(rows[at++]));
  };
  for (std::size_t at = 0; at + width <= rows.size();) {
    take(at, per_sample, series_.energy);
    take(at, per_sample, series_.magnetization);
    take(at, pattern_width, series_.pattern);
    take(at, overlap_width, series_.overlap);
  }
  // The histograms follow from the overlap series: agreements = N q, exact in binary.
  if (!plan_.replica_overlaps) return;
  histograms_.assign(static_cast<std::size_t>(plan_.temperatures),
                     OverlapHistogram(plan_.n_agents));
  const auto n = static_cast<double>(plan_.n_agents);
  for (std::size_t t = 0; t < series_.overlap.size() / std::max<std::size_t>(overlap_width, 1); ++t)
    for (int k = 0; k < plan_.temperatures; ++k)
      for (int p = 0; p < pairs; ++p)
        histograms_[k].add_agreements(
            std::llround(series_.overlap[(t * plan_.temperatures + k) * pairs + p] * n));
}

// The agent families: one line each.
template class Observer<IsingBlock>;

}  // namespace spinfer
