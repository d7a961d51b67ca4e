#pragma once
// Proper colourings of the interaction graph: agents of one colour share no edge, so they are
// conditionally independent given the others and may act at once without changing the
// stationary distribution (the chromatic schedule).
#include <cstdint>
#include <vector>

#include "agents/core/weighted_graph.hpp"

namespace spinfer {

struct Colouring {
  int colours = 0;
  std::vector<std::int32_t> colour_of;  // one per agent, in [0, colours)
};

// Two colours when the graph is bipartite (found by breadth-first search from the lowest id of
// each component), otherwise greedy in ascending id order with the smallest free colour.
// Deterministic: the same graph gives the same colouring on every rank.
Colouring colour_graph(const WeightedGraph& graph);

// True when no edge joins two agents of the same colour.
bool is_proper(const WeightedGraph& graph, const Colouring& colouring);

}  // namespace spinfer
