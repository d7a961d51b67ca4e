#include "coordinator.hpp"

#include <algorithm>

namespace spinfer {

Coordinator::Coordinator(const Collective& collective, AgentId n_agents, double beta,
                         const std::optional<ReducedModel>& exact)
    : n_agents_(n_agents),
      beta_(beta),
      exact_(exact.has_value()),
      series_(static_cast<std::size_t>(collective.states().chains())),
      spin_sum_(static_cast<std::size_t>(collective.domain().owned_count), 0.0),
      edge_sum_(collective.domain().precisions.columns.size(), 0.0) {
  const LocalDomain& d = collective.domain();
  bit_value_.assign(static_cast<std::size_t>(d.owned_count), 0.0);
  if (!exact) return;
  const auto& free = exact->free_agents;
  for (std::int64_t row = 0; row < d.owned_count; ++row) {
    const auto it = std::lower_bound(free.begin(), free.end(), d.global_id(row));
    if (it != free.end() && *it == d.global_id(row))
      bit_value_[row] = static_cast<double>(std::uint64_t{1} << (it - free.begin()));
  }
}

void Coordinator::measure(const comm::Communicator& comm, const Collective& collective) {
  const int chains = collective.states().chains();
  const auto& graph = collective.domain().precisions;
  // Per chain: spin sum, beta*energy, free energy, state index (exact in a double: < 2^53).
  std::vector<double> sums(static_cast<std::size_t>(4 * chains), 0.0);
  for (int c = 0; c < chains; ++c) {
    const std::int8_t* s = collective.states().chain(c);
    const IsingBlock::Sums local = collective.block().measure(s);
    double index = 0;
    for (std::size_t row = 0; row < bit_value_.size(); ++row) {
      if (s[row] > 0) index += bit_value_[row];
      spin_sum_[row] += s[row];
      for (auto e = graph.row_offsets[row]; e < graph.row_offsets[row + 1]; ++e)
        edge_sum_[e] += s[row] * s[graph.columns[e]];
    }
    sums[4 * c] = local.spin;
    sums[4 * c + 1] = local.energy;
    sums[4 * c + 2] = local.free_energy;
    sums[4 * c + 3] = index;
  }
  samples_ += chains;
  comm.sum_in_place(sums);
  if (!comm.is_root()) return;
  const double n = static_cast<double>(n_agents_);
  for (int c = 0; c < chains; ++c) {
    ChainSeries& out = series_[c];
    out.magnetization.push_back(sums[4 * c] / n);
    out.energy.push_back(sums[4 * c + 1] / (beta_ * n));
    out.free_energy.push_back(sums[4 * c + 2] / n);
    if (exact_) out.state.push_back(static_cast<std::uint32_t>(sums[4 * c + 3]));
  }
}

Coordinator::PerAgent Coordinator::gather(const comm::Communicator& comm) const {
  const double scale = samples_ > 0 ? 1.0 / static_cast<double>(samples_) : 0.0;
  std::vector<double> m(spin_sum_), corr(edge_sum_);
  for (double& x : m) x *= scale;
  for (double& x : corr) x *= scale;
  return {comm.gather_to_root(m), comm.gather_to_root(corr)};
}

}  // namespace spinfer
