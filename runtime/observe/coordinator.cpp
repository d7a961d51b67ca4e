#include "runtime/observe/coordinator.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "agents/core/error.hpp"
#include "runtime/io/record_span.hpp"

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
      spin_sum_(static_cast<std::size_t>(collective.domain().owned_count), 0),
      edge_sum_(collective.domain().precisions.columns.size(), 0) {
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
  const auto mean = [scale](const std::vector<std::int64_t>& sums) {
    std::vector<double> out(sums.size());
    for (std::size_t k = 0; k < sums.size(); ++k) out[k] = static_cast<double>(sums[k]) * scale;
    return out;
  };
  return {comm.gather_to_root(mean(spin_sum_)), comm.gather_to_root(mean(edge_sum_))};
}

void Coordinator::save(const comm::Communicator& comm, record::Checkpoint& checkpoint) const {
  const std::vector<std::int64_t> spins = comm.gather_to_root(spin_sum_);
  const std::vector<std::int64_t> edges = comm.gather_to_root(edge_sum_);
  if (!comm.is_root()) return;
  *checkpoint.mutable_spin_sum() = {spins.begin(), spins.end()};
  *checkpoint.mutable_edge_sum() = {edges.begin(), edges.end()};
  checkpoint.set_samples(samples_);
}

void Coordinator::restore(const comm::Communicator& comm, const record::Checkpoint& checkpoint,
                          const Collective& collective) {
  const LocalDomain& d = collective.domain();
  const comm::Communicator::Range agents{d.owned_first, d.owned_count};
  const comm::Communicator::Range edges{collective.global_edge_offset(),
                                        static_cast<std::int64_t>(edge_sum_.size())};
  auto spins = comm.scatter_ranges(as_span(checkpoint.spin_sum()), n_agents_, {&agents, 1});
  auto edge_products =
      comm.scatter_ranges(as_span(checkpoint.edge_sum()), collective.global_edges(), {&edges, 1});
  if (!spins || !edge_products)
    throw field_error("checkpoint", "per-agent sums", "sizes do not match the population");
  spin_sum_ = std::move(*spins);
  edge_sum_ = std::move(*edge_products);
  samples_ = checkpoint.samples();
}

int Coordinator::fields_per_chain() const {
  return 3 + (exact_ ? 1 : 0) + (directed_edges_ > 0 ? 1 : 0) + (entropy_production_ ? 1 : 0);
}

int Coordinator::series_width() const {
  return fields_per_chain() * static_cast<int>(series_.size());
}

std::int64_t Coordinator::series_rows() const {
  return series_.empty() ? 0 : static_cast<std::int64_t>(series_.front().magnetization.size());
}

void Coordinator::encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const {
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  for (std::int64_t t = first_row; t < series_rows(); ++t)
    for (const ChainSeries& chain : series_) {
      const auto k = static_cast<std::size_t>(t);
      out.push_back(bits(chain.magnetization[k]));
      out.push_back(bits(chain.energy[k]));
      out.push_back(bits(chain.free_energy[k]));
      if (exact_) out.push_back(chain.state[k]);
      if (directed_edges_ > 0) out.push_back(bits(chain.edge_correlation[k]));
      if (entropy_production_) out.push_back(bits(chain.entropy_production[k]));
    }
}

void Coordinator::restore_series(std::span<const std::uint64_t> rows) {
  const auto value = [](std::uint64_t word) { return std::bit_cast<double>(word); };
  const auto width = static_cast<std::size_t>(series_width());
  for (ChainSeries& chain : series_) chain = ChainSeries{};
  for (std::size_t at = 0; at + width <= rows.size();)
    for (ChainSeries& chain : series_) {
      chain.magnetization.push_back(value(rows[at++]));
      chain.energy.push_back(value(rows[at++]));
      chain.free_energy.push_back(value(rows[at++]));
      if (exact_) chain.state.push_back(static_cast<std::uint32_t>(rows[at++]));
      if (directed_edges_ > 0) chain.edge_correlation.push_back(value(rows[at++]));
      if (entropy_production_) chain.entropy_production.push_back(value(rows[at++]));
    }
}

}  // namespace spinfer
