#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "agents/core/error.hpp"
#include "agents/core/weighted_graph.hpp"

using namespace spinfer;

namespace {

// Every stored edge has its reverse with the same weight, and rows are strictly ascending.
void check_symmetric_and_sorted(const WeightedGraph& g) {
  REQUIRE(g.row_offsets.size() == static_cast<std::size_t>(g.size() + 1));
  REQUIRE(g.row_offsets.back() == g.directed_edges());
  REQUIRE(g.weights.size() == g.columns.size());
  for (AgentId i = 0; i < g.size(); ++i) {
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      if (k > g.row_offsets[i]) CHECK(g.columns[k - 1] < g.columns[k]);
      CHECK(edge_weight(g, g.columns[k], i) == g.weights[k]);
    }
  }
}

std::string message_of(AgentId n, const std::vector<UndirectedEdge>& edges,
                       std::vector<double> fields) {
  try {
    (void)symmetric_graph(n, edges, std::move(fields), "test.couplings");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("symmetric_graph stores each edge in both rows, columns ascending") {
  const std::vector<UndirectedEdge> edges = {{3, 0, 0.5}, {0, 1, -1.0}, {2, 1, 2.0}, {0, 2, 0.25}};
  const auto g = symmetric_graph(4, edges, {0.1, 0.2, 0.3, 0.4});
  CHECK(g.size() == 4);
  CHECK(g.directed_edges() == 8);
  check_symmetric_and_sorted(g);
  CHECK(g.degree(0) == 3);
  CHECK(g.degree(1) == 2);
  CHECK(g.degree(3) == 1);
  CHECK(g.columns[0] == 1);
  CHECK(g.columns[1] == 2);
  CHECK(g.columns[2] == 3);
  CHECK(edge_weight(g, 0, 3) == 0.5);
  CHECK(edge_weight(g, 3, 0) == 0.5);
  CHECK(edge_weight(g, 1, 2) == 2.0);
  CHECK(edge_weight(g, 1, 3) == 0.0);
  CHECK(g.fields[2] == 0.3);
  CHECK(weight_asymmetry(g) == 0.0);
}

TEST_CASE("symmetric_graph handles isolated agents and the empty graph") {
  const auto g = symmetric_graph(3, {{0, 2, 1.0}}, {0, 0, 0});
  CHECK(g.degree(1) == 0);
  check_symmetric_and_sorted(g);
  const auto empty = symmetric_graph(0, {}, {});
  CHECK(empty.size() == 0);
  CHECK(empty.row_offsets.size() == 1);
}

TEST_CASE("symmetric_graph rejects malformed input with a message naming the source") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 3, 1.0}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{-1, 2, 1.0}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{1, 1, 1.0}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 1, 1.0}, {1, 0, 2.0}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 1, 1.0}, {0, 1, 1.0}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 1, nan}}, {0, 0, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 1, 1.0}}, {0, inf, 0}), Error);
  CHECK_THROWS_AS((void)symmetric_graph(3, {{0, 1, 1.0}}, {0, 0}), Error);

  const auto range = message_of(3, {{0, 7, 1.0}}, {0, 0, 0});
  CHECK(range.find("test.couplings") == 0);
  CHECK(range.find("out of range") != std::string::npos);
  CHECK(message_of(3, {{2, 2, 1.0}}, {0, 0, 0}).find("self-coupling") != std::string::npos);
  CHECK(message_of(3, {{0, 2, 1.0}, {2, 0, 1.0}}, {0, 0, 0}).find("duplicate") !=
        std::string::npos);
  CHECK(message_of(3, {{0, 1, nan}}, {0, 0, 0}).find("nan") != std::string::npos);
  CHECK(message_of(3, {{0, 1, 0}}, {0, 0, -inf}).find("inf") != std::string::npos);
}

TEST_CASE("weight_asymmetry sees unequal and one-sided weights") {
  // Hand-built directed CSR: 0 -> 1 (1.0), 1 -> 0 (0.25), 1 -> 2 (2.0), nothing 2 -> 1.
  WeightedGraph g;
  g.row_offsets = {0, 1, 3, 3};
  g.columns = {1, 0, 2};
  g.weights = {1.0, 0.25, 2.0};
  g.fields = {0, 0, 0};
  CHECK(weight_asymmetry(g) == 2.0);
  g.weights[2] = 0.0;
  CHECK(weight_asymmetry(g) == 0.75);
  CHECK(edge_weight(g, 2, 1) == 0.0);
  CHECK(edge_weight(g, 1, 0) == 0.25);
}
