#include "agents/core/colouring.hpp"

#include <algorithm>
#include <optional>
#include <queue>

namespace spinfer {
namespace {

// Both algorithms read row i as "all neighbours of i"; a directed population may store an edge
// in one row only, and the colouring must still separate its two ends.
bool structurally_symmetric(const WeightedGraph& graph) {
  for (AgentId i = 0; i < graph.size(); ++i) {
    for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
      const AgentId j = graph.columns[k];
      const auto first = graph.columns.begin() + graph.row_offsets[j];
      const auto last = graph.columns.begin() + graph.row_offsets[j + 1];
      if (!std::binary_search(first, last, i)) return false;
    }
  }
  return true;
}

// The undirected structure of `graph` (weights are meaningless and left at 0).
WeightedGraph symmetrised(const WeightedGraph& graph) {
  const auto n = static_cast<std::size_t>(graph.size());
  std::vector<std::vector<std::int32_t>> rows(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
      const auto j = graph.columns[k];
      rows[i].push_back(j);
      rows[j].push_back(static_cast<std::int32_t>(i));
    }
  }
  WeightedGraph result;
  for (auto& row : rows) {
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    result.columns.insert(result.columns.end(), row.begin(), row.end());
    result.row_offsets.push_back(static_cast<std::int64_t>(result.columns.size()));
  }
  result.weights.assign(result.columns.size(), 0.0);
  result.fields.assign(n, 0.0);
  return result;
}

Colouring finished(std::vector<std::int32_t> colour_of) {
  const auto top = std::max_element(colour_of.begin(), colour_of.end());
  return {top == colour_of.end() ? 0 : *top + 1, std::move(colour_of)};
}

std::optional<Colouring> two_colouring(const WeightedGraph& graph) {
  std::vector<std::int32_t> colour_of(graph.size(), -1);
  std::queue<AgentId> frontier;
  for (AgentId start = 0; start < graph.size(); ++start) {
    if (colour_of[start] >= 0) continue;
    colour_of[start] = 0;
    frontier.push(start);
    while (!frontier.empty()) {
      const AgentId i = frontier.front();
      frontier.pop();
      for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
        const AgentId j = graph.columns[k];
        if (colour_of[j] == colour_of[i]) return std::nullopt;  // odd cycle
        if (colour_of[j] < 0) {
          colour_of[j] = 1 - colour_of[i];
          frontier.push(j);
        }
      }
    }
  }
  return finished(std::move(colour_of));
}

Colouring greedy_colouring(const WeightedGraph& graph) {
  std::vector<std::int32_t> colour_of(graph.size(), -1);
  // taken_by[c] == i marks colour c as used by a neighbour of i, so the array is never cleared.
  std::vector<AgentId> taken_by;
  for (AgentId i = 0; i < graph.size(); ++i) {
    for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
      const auto c = colour_of[graph.columns[k]];
      if (c < 0) continue;
      if (static_cast<std::size_t>(c) >= taken_by.size()) taken_by.resize(c + 1, -1);
      taken_by[c] = i;
    }
    std::int32_t c = 0;
    while (static_cast<std::size_t>(c) < taken_by.size() && taken_by[c] == i) ++c;
    colour_of[i] = c;
  }
  return finished(std::move(colour_of));
}

}  // namespace

Colouring colour_graph(const WeightedGraph& graph) {
  if (!structurally_symmetric(graph)) return colour_graph(symmetrised(graph));
  if (auto two = two_colouring(graph)) return *std::move(two);
  return greedy_colouring(graph);
}

bool is_proper(const WeightedGraph& graph, const Colouring& colouring) {
  if (static_cast<std::int64_t>(colouring.colour_of.size()) != graph.size()) return false;
  for (const auto c : colouring.colour_of) {
    if (c < 0 || c >= colouring.colours) return false;
  }
  for (AgentId i = 0; i < graph.size(); ++i) {
    for (auto k = graph.row_offsets[i]; k < graph.row_offsets[i + 1]; ++k) {
      if (colouring.colour_of[graph.columns[k]] == colouring.colour_of[i]) return false;
    }
  }
  return true;
}

}  // namespace spinfer
