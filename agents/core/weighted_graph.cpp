#include "agents/core/weighted_graph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

std::string pair_text(AgentId i, AgentId j) {
  std::ostringstream out;
  out << "(" << i << ", " << j << ")";
  return out.str();
}

void validate_edge(AgentId n, const UndirectedEdge& e, const std::string& source) {
  for (AgentId id : {e.i, e.j}) {
    if (id < 0 || id >= n) {
      std::ostringstream why;
      why << "agent id out of range [0, " << n << ") in coupling " << pair_text(e.i, e.j);
      throw field_error(source, id, why.str());
    }
  }
  if (e.i == e.j) throw field_error(source, pair_text(e.i, e.j), "self-coupling");
  if (!std::isfinite(e.weight)) {
    throw field_error(source, e.weight, "non-finite coupling " + pair_text(e.i, e.j));
  }
}

}  // namespace

WeightedGraph symmetric_graph(AgentId n, const std::vector<UndirectedEdge>& edges,
                              std::vector<double> fields, const char* source) {
  const std::string src(source);
  // Columns are int32 to halve the memory of large lattices, so ids must fit.
  if (n < 0 || n > std::numeric_limits<std::int32_t>::max()) {
    throw field_error(src, n, "number of agents out of range");
  }
  if (static_cast<AgentId>(fields.size()) != n) {
    std::ostringstream why;
    why << "expected " << n << " fields, got " << fields.size();
    throw field_error(src, n, why.str());
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!std::isfinite(fields[i])) {
      throw field_error(src, fields[i], "non-finite field of agent " + std::to_string(i));
    }
  }

  WeightedGraph graph;
  graph.row_offsets.assign(n + 1, 0);
  for (const auto& e : edges) {
    validate_edge(n, e, src);
    ++graph.row_offsets[e.i + 1];
    ++graph.row_offsets[e.j + 1];
  }
  std::partial_sum(graph.row_offsets.begin(), graph.row_offsets.end(), graph.row_offsets.begin());

  const auto total = static_cast<std::size_t>(graph.row_offsets[n]);
  std::vector<std::pair<std::int32_t, double>> entries(total);
  std::vector<std::int64_t> cursor(graph.row_offsets.begin(), graph.row_offsets.end() - 1);
  for (const auto& e : edges) {
    entries[cursor[e.i]++] = {static_cast<std::int32_t>(e.j), e.weight};
    entries[cursor[e.j]++] = {static_cast<std::int32_t>(e.i), e.weight};
  }

  graph.columns.resize(total);
  graph.weights.resize(total);
  for (AgentId i = 0; i < n; ++i) {
    auto first = entries.begin() + graph.row_offsets[i];
    auto last = entries.begin() + graph.row_offsets[i + 1];
    std::sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
    // After sorting, a repeated unordered pair shows up as equal neighbours in the row.
    auto repeat = std::adjacent_find(
        first, last, [](const auto& a, const auto& b) { return a.first == b.first; });
    if (repeat != last) {
      throw field_error(
          src, pair_text(std::min<AgentId>(i, repeat->first), std::max<AgentId>(i, repeat->first)),
          "duplicate coupling");
    }
    for (auto it = first; it != last; ++it) {
      const auto k = static_cast<std::size_t>(it - entries.begin());
      graph.columns[k] = it->first;
      graph.weights[k] = it->second;
    }
  }
  graph.fields = std::move(fields);
  return graph;
}

double weight_asymmetry(const WeightedGraph& graph) {
  double largest = 0;
  for (AgentId i = 0; i < graph.size(); ++i) {
    for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
      const double reverse = edge_weight(graph, graph.columns[k], i);
      largest = std::max(largest, std::abs(graph.weights[k] - reverse));
    }
  }
  return largest;
}

double edge_weight(const WeightedGraph& graph, AgentId i, AgentId j) {
  const auto first = graph.columns.begin() + graph.row_offsets[i];
  const auto last = graph.columns.begin() + graph.row_offsets[i + 1];
  const auto it = std::lower_bound(first, last, j);
  if (it == last || *it != j) return 0.0;
  return graph.weights[static_cast<std::size_t>(it - graph.columns.begin())];
}

}  // namespace spinfer
