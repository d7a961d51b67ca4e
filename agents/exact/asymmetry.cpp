#include "agents/exact/asymmetry.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"

namespace spinfer {
namespace {

// (2m + 1) / 2^53 for a 52-bit m: strictly inside (0, 1), so log() is safe.
double open_unit(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t m = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 12;
  return (static_cast<double>(m) + 0.5) * 0x1p-52;
}

// Box-Muller on one Philox block: a pure function of (seed, i, j), as the couplings themselves.
double pair_gaussian(std::uint64_t seed, AgentId i, AgentId j) {
  const RandomBlock w = random_block(seed, StreamPurpose::antisymmetric_coupling, 0,
                                     static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(i));
  const double radius = std::sqrt(-2.0 * std::log(open_unit(w[0], w[1])));
  return radius * std::cos(2.0 * std::numbers::pi * open_unit(w[2], w[3]));
}

// The weight of edge i -> j, or nullptr when the edge is absent (not merely of weight 0).
const double* find_edge(const WeightedGraph& graph, AgentId i, AgentId j) {
  const auto first = graph.columns.begin() + graph.row_offsets[i];
  const auto last = graph.columns.begin() + graph.row_offsets[i + 1];
  const auto it = std::lower_bound(first, last, j);
  if (it == last || *it != j) return nullptr;
  return &graph.weights[static_cast<std::size_t>(it - graph.columns.begin())];
}

std::string edge_text(AgentId i, AgentId j) {
  std::ostringstream out;
  out << "(" << i << ", " << j << ")";
  return out.str();
}

}  // namespace

WeightedGraph add_antisymmetric_part(const WeightedGraph& couplings, double k, std::uint64_t seed) {
  if (!std::isfinite(k)) throw field_error("asymmetry", k, "must be finite");
  double sum_of_squares = 0;
  for (AgentId i = 0; i < couplings.size(); ++i) {
    for (auto e = couplings.row_offsets[i]; e < couplings.row_offsets[i + 1]; ++e) {
      const AgentId j = couplings.columns[e];
      const double* reverse = find_edge(couplings, j, i);
      if (reverse == nullptr)
        throw field_error("asymmetry", edge_text(i, j),
                          "edge has no reverse edge; the sparsity pattern must be symmetric");
      const double symmetric = 0.5 * (couplings.weights[e] + *reverse);
      sum_of_squares += symmetric * symmetric;
    }
  }
  WeightedGraph out = couplings;
  if (k == 0 || couplings.weights.empty()) return out;
  const double scale = std::sqrt(sum_of_squares / static_cast<double>(couplings.weights.size()));
  for (AgentId i = 0; i < out.size(); ++i) {
    for (auto e = out.row_offsets[i]; e < out.row_offsets[i + 1]; ++e) {
      const AgentId j = out.columns[e];
      const double a = i < j ? pair_gaussian(seed, i, j) : -pair_gaussian(seed, j, i);
      out.weights[e] += k * scale * a;
    }
  }
  return out;
}

WeightedGraph symmetric_part(const WeightedGraph& graph) {
  std::vector<UndirectedEdge> edges;
  for (AgentId i = 0; i < graph.size(); ++i) {
    for (auto e = graph.row_offsets[i]; e < graph.row_offsets[i + 1]; ++e) {
      const AgentId j = graph.columns[e];
      const double* reverse = find_edge(graph, j, i);
      // Each unordered pair once: from its lower end, or from whichever end has the only edge.
      if (i < j || reverse == nullptr)
        edges.push_back({i, j, 0.5 * (graph.weights[e] + (reverse ? *reverse : 0.0))});
    }
  }
  return symmetric_graph(graph.size(), edges, graph.fields, "symmetric_part");
}

ReducedModel symmetric_part(const ReducedModel& model) {
  ReducedModel out = model;
  out.gamma = 0.5 * (model.gamma + model.gamma.transpose());
  return out;
}

}  // namespace spinfer
