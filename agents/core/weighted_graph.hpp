#pragma once
// The interaction graph of a population, in compressed sparse rows: row i lists the neighbours j
// of agent i with the weight of the directed edge i -> j, plus one field per agent. The same type
// carries a spin glass (J_ij, h_i) and an agent population (gamma_ij, zeta_i); a symmetric graph
// stores every undirected edge twice, once in each row.
#include <cstdint>
#include <vector>

namespace spinfer {

using AgentId = std::int64_t;

struct WeightedGraph {
  std::vector<std::int64_t> row_offsets{0};  // size n + 1
  std::vector<std::int32_t> columns;         // neighbour ids, ascending within a row
  std::vector<double> weights;               // weight of edge row -> column
  std::vector<double> fields;                // one per agent

  [[nodiscard]] std::int64_t size() const { return static_cast<std::int64_t>(fields.size()); }
  [[nodiscard]] std::int64_t directed_edges() const {
    return static_cast<std::int64_t>(columns.size());
  }
  [[nodiscard]] std::int64_t degree(AgentId i) const { return row_offsets[i + 1] - row_offsets[i]; }
};

struct UndirectedEdge {
  AgentId i;
  AgentId j;
  double weight;
};

// Builds a symmetric CSR graph from undirected edges listed once each. Throws spinfer::Error
// (naming `source`) on self-loops, duplicate pairs, ids out of range, or non-finite values.
WeightedGraph symmetric_graph(AgentId n, const std::vector<UndirectedEdge>& edges,
                              std::vector<double> fields, const char* source = "couplings");

// Largest |w_ij - w_ji| over all edges (an edge missing in one direction counts its full weight).
double weight_asymmetry(const WeightedGraph& graph);

// Weight of edge i -> j, or 0 if absent (binary search in row i).
double edge_weight(const WeightedGraph& graph, AgentId i, AgentId j);

}  // namespace spinfer
