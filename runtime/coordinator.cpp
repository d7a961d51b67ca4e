#include "coordinator.hpp"

#include <algorithm>
#include <limits>

#include "agents/error.hpp"

namespace spinfer {

Coordinator::Coordinator(const Collective& collective, AgentId n_agents, double beta,
                         const std::optional<ReducedModel>& exact, std::int64_t directed_edges,
                         bool entropy_production)
    : n_agents_(n_agents),
      beta_(beta),
      exact_(exact.has_value()),
      directed_edges_(directed_edges),
      entropy_production_(entropy_production),
      series_(static_cast<std::size_t>(collective.states().chains())),
      spin_sum_(static_cast<std::size_t>(collective.domain().owned_count), 0.0),
      edge_sum_(collective.domain().precisions.columns.size(), 0.0) {
  const LocalDomain& d = collective.domain();
  bit_value_.assign(static_cast<std::size_t>(d.owned_count), 0);
  if (!exact) return;
  const auto& free = exact->free_agents;
  for (std::int64_t row = 0; row < d.owned_count; ++row) {
    const auto it = std::lower_bound(free.begin(), free.end(), d.global_id(row));
    if (it != free.end() && *it == d.global_id(row))
      bit_value_[row] = std::uint64_t{1} << (it - free.begin());
  }
}

void Coordinator::measure(const comm::Communicator& comm, const Collective& collective) {
  const int chains = collective.states().chains();
  const auto& graph = collective.domain().precisions;
  // Per chain: spin sum, beta*energy, free energy (fixed point), state index, sum of s_i s_j
  // over directed edges, entropy production (fixed point) and its infinite terms. Integer sums
  // with wrapping arithmetic: the totals are the same bits at every rank count.
  constexpr int kStride = 7;
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(kStride * chains), 0);
  const EntropyTally& tally = collective.entropy_tally();
  for (int c = 0; c < chains; ++c) {
    const std::int8_t* s = collective.states().chain(c);
    const IsingBlock::Sums local = collective.block().measure(s);
    std::uint64_t index = 0;
    std::int64_t edges = 0;
    for (std::size_t row = 0; row < bit_value_.size(); ++row) {
      if (s[row] > 0) index += bit_value_[row];
      spin_sum_[row] += s[row];
      for (auto e = graph.row_offsets[row]; e < graph.row_offsets[row + 1]; ++e) {
        const int product = s[row] * s[graph.columns[e]];
        edge_sum_[e] += product;
        edges += product;
      }
    }
    std::uint64_t* out = sums.data() + kStride * c;
    out[0] = static_cast<std::uint64_t>(local.spin);
    out[1] = local.energy_fixed;
    out[2] = local.free_energy_fixed;
    out[3] = index;
    out[4] = static_cast<std::uint64_t>(edges);
    if (entropy_production_ && tally.active()) {
      out[5] = tally.fixed_sum(c);
      out[6] = tally.infinite_terms(c);
    }
  }
  samples_ += chains;
  comm.sum_wrapping_in_place(sums);
  if (!comm.is_root()) return;
  const double n = static_cast<double>(n_agents_);
  for (int c = 0; c < chains; ++c) {
    ChainSeries& out = series_[c];
    const std::uint64_t* in = sums.data() + kStride * c;
    out.magnetization.push_back(static_cast<double>(static_cast<std::int64_t>(in[0])) / n);
    out.energy.push_back(fixed_point::to_double(in[1]) / (beta_ * n));
    out.free_energy.push_back(fixed_point::to_double(in[2]) / n);
    if (exact_) out.state.push_back(static_cast<std::uint32_t>(in[3]));
    if (directed_edges_ > 0)
      out.edge_correlation.push_back(static_cast<double>(static_cast<std::int64_t>(in[4])) /
                                     static_cast<double>(directed_edges_));
    if (entropy_production_)
      out.entropy_production.push_back(in[6] > 0 ? std::numeric_limits<double>::infinity()
                                                 : fixed_point::to_double(in[5]));
  }
}

Coordinator::PerAgent Coordinator::gather(const comm::Communicator& comm) const {
  const double scale = samples_ > 0 ? 1.0 / static_cast<double>(samples_) : 0.0;
  std::vector<double> m(spin_sum_), corr(edge_sum_);
  for (double& x : m) x *= scale;
  for (double& x : corr) x *= scale;
  return {comm.gather_to_root(m), comm.gather_to_root(corr)};
}

void Coordinator::save(const comm::Communicator& comm, record::Checkpoint& checkpoint) const {
  const std::vector<double> spins = comm.gather_to_root(spin_sum_);
  const std::vector<double> edges = comm.gather_to_root(edge_sum_);
  if (!comm.is_root()) return;
  *checkpoint.mutable_spin_sum() = {spins.begin(), spins.end()};
  *checkpoint.mutable_edge_sum() = {edges.begin(), edges.end()};
  checkpoint.set_samples(samples_);
  for (std::size_t c = 0; c < series_.size(); ++c) {
    record::ChainRecord& out = *checkpoint.mutable_chains(static_cast<int>(c));
    const ChainSeries& in = series_[c];
    *out.mutable_magnetization() = {in.magnetization.begin(), in.magnetization.end()};
    *out.mutable_energy() = {in.energy.begin(), in.energy.end()};
    *out.mutable_free_energy() = {in.free_energy.begin(), in.free_energy.end()};
    *out.mutable_state() = {in.state.begin(), in.state.end()};
    *out.mutable_entropy_production() = {in.entropy_production.begin(),
                                         in.entropy_production.end()};
    *out.mutable_edge_correlation() = {in.edge_correlation.begin(), in.edge_correlation.end()};
  }
}

void Coordinator::restore(const record::Checkpoint& checkpoint, const Collective& collective) {
  const LocalDomain& d = collective.domain();
  const auto first_edge = collective.global_edge_offset();
  if (checkpoint.spin_sum_size() != n_agents_ ||
      checkpoint.edge_sum_size() < first_edge + static_cast<std::int64_t>(edge_sum_.size()))
    throw field_error("checkpoint", "per-agent sums", "sizes do not match the population");
  for (std::int64_t row = 0; row < d.owned_count; ++row)
    spin_sum_[row] = checkpoint.spin_sum(static_cast<int>(d.owned_first + row));
  for (std::size_t e = 0; e < edge_sum_.size(); ++e)
    edge_sum_[e] = checkpoint.edge_sum(static_cast<int>(first_edge + static_cast<std::int64_t>(e)));
  samples_ = checkpoint.samples();
  for (std::size_t c = 0; c < series_.size(); ++c) {
    const record::ChainRecord& in = checkpoint.chains(static_cast<int>(c));
    ChainSeries& out = series_[c];
    out.magnetization.assign(in.magnetization().begin(), in.magnetization().end());
    out.energy.assign(in.energy().begin(), in.energy().end());
    out.free_energy.assign(in.free_energy().begin(), in.free_energy().end());
    out.state.assign(in.state().begin(), in.state().end());
    out.entropy_production.assign(in.entropy_production().begin(), in.entropy_production().end());
    out.edge_correlation.assign(in.edge_correlation().begin(), in.edge_correlation().end());
  }
}

}  // namespace spinfer
