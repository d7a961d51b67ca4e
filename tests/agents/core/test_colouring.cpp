#include <doctest/doctest.h>

#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/instances/instances.hpp"

using namespace spinfer;

namespace {

WeightedGraph cycle(AgentId n) {
  std::vector<UndirectedEdge> edges;
  for (AgentId i = 0; i < n; ++i) edges.push_back({i, (i + 1) % n, 1.0});
  return symmetric_graph(n, edges, std::vector<double>(n, 0.0));
}

}  // namespace

TEST_CASE("even periodic lattices get the two-colour checkerboard") {
  struct Case {
    int dimensions;
    std::int64_t length;
  };
  for (auto [dimensions, length] : {Case{2, 4}, Case{2, 10}, Case{3, 4}, Case{3, 6}}) {
    CAPTURE(dimensions);
    CAPTURE(length);
    const auto g = ferromagnet(dimensions, length, 1.0).couplings;
    const auto colouring = colour_graph(g);
    CHECK(colouring.colours == 2);
    CHECK(is_proper(g, colouring));
    int off_checkerboard = 0;
    for (AgentId i = 0; i < g.size(); ++i) {
      const auto parity = (i % length + i / length % length + i / (length * length)) % 2;
      off_checkerboard += colouring.colour_of[i] != parity;
    }
    CHECK(off_checkerboard == 0);
  }
}

TEST_CASE("odd periodic lattices are not bipartite and need more colours") {
  for (int dimensions : {2, 3}) {
    for (std::int64_t length : {3, 5}) {
      CAPTURE(dimensions);
      CAPTURE(length);
      const auto g =
          edwards_anderson(dimensions, length, CouplingDistribution::gaussian, 0, 1, 1).couplings;
      const auto colouring = colour_graph(g);
      CHECK(is_proper(g, colouring));
      CHECK(colouring.colours > 2);
      CHECK(colouring.colours <= 2 * dimensions + 1);  // greedy never exceeds max degree + 1
    }
  }
}

TEST_CASE("SK needs one colour per agent") {
  const auto g = sherrington_kirkpatrick(12, CouplingDistribution::bimodal, 0, 1, 4).couplings;
  const auto colouring = colour_graph(g);
  CHECK(colouring.colours == 12);
  CHECK(is_proper(g, colouring));
  for (AgentId i = 0; i < 12; ++i) CHECK(colouring.colour_of[i] == i);
}

TEST_CASE("random regular graphs are properly coloured, within the greedy bound") {
  for (int degree : {3, 4, 5}) {
    CAPTURE(degree);
    const auto g = random_regular(60, degree, CouplingDistribution::gaussian, 0, 1, 17).couplings;
    const auto colouring = colour_graph(g);
    CHECK(is_proper(g, colouring));
    CHECK(colouring.colours >= 2);
    CHECK(colouring.colours <= degree + 1);
    const auto again = colour_graph(g);
    CHECK(again.colour_of == colouring.colour_of);
  }
}

TEST_CASE("small graphs: cycles, isolated agents, empty graph") {
  CHECK(colour_graph(cycle(6)).colours == 2);
  CHECK(colour_graph(cycle(7)).colours == 3);
  CHECK(is_proper(cycle(7), colour_graph(cycle(7))));
  const auto isolated = symmetric_graph(3, {}, {0, 0, 0});
  const auto one = colour_graph(isolated);
  CHECK(one.colours == 1);
  CHECK(one.colour_of == std::vector<std::int32_t>{0, 0, 0});
  // Two components, each coloured from its lowest id.
  const auto two_paths = symmetric_graph(5, {{3, 4, 1}, {0, 1, 1}, {1, 2, 1}}, {0, 0, 0, 0, 0});
  CHECK(colour_graph(two_paths).colour_of == std::vector<std::int32_t>{0, 1, 0, 0, 1});
  const auto none = colour_graph(WeightedGraph{});
  CHECK(none.colours == 0);
  CHECK(none.colour_of.empty());
}

TEST_CASE("an edge stored in one row only still separates its ends") {
  // 0 -> 1, 1 -> 2, 2 -> 0 stored one way each: a directed triangle needing three colours.
  WeightedGraph g;
  g.row_offsets = {0, 1, 2, 3};
  g.columns = {1, 2, 0};
  g.weights = {1, 1, 1};
  g.fields = {0, 0, 0};
  const auto colouring = colour_graph(g);
  CHECK(colouring.colours == 3);
  CHECK(is_proper(g, colouring));
}

TEST_CASE("is_proper rejects clashes, out-of-range colours and wrong sizes") {
  const auto g = cycle(4);
  auto colouring = colour_graph(g);
  REQUIRE(is_proper(g, colouring));
  auto clash = colouring;
  clash.colour_of[1] = clash.colour_of[0];
  CHECK_FALSE(is_proper(g, clash));
  auto out_of_range = colouring;
  out_of_range.colour_of[2] = 5;
  CHECK_FALSE(is_proper(g, out_of_range));
  auto short_list = colouring;
  short_list.colour_of.pop_back();
  CHECK_FALSE(is_proper(g, short_list));
}
