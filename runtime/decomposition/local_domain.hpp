#pragma once
// One rank's view of the population: the agents it owns (local slots 0..owned-1, in global id
// order) followed by ghost copies of the neighbours owned elsewhere. The local precision graph
// has a row per owned agent and columns that index local slots.
#include <vector>

#include "agents/core/weighted_graph.hpp"
#include "runtime/decomposition/partition.hpp"

namespace spinfer {

struct LocalDomain {
  AgentId owned_first = 0;
  AgentId owned_count = 0;
  std::vector<AgentId> ghost_ids;  // ascending global ids, slot owned_count + k
  std::vector<int> ghost_owners;
  WeightedGraph precisions;  // rows: owned agents; columns: local slots

  [[nodiscard]] AgentId slots() const {
    return owned_count + static_cast<AgentId>(ghost_ids.size());
  }
  [[nodiscard]] AgentId global_id(std::int64_t slot) const {
    return slot < owned_count ? owned_first + slot : ghost_ids[slot - owned_count];
  }
};

LocalDomain make_local_domain(const WeightedGraph& precisions, const Partition& partition,
                              int rank);

}  // namespace spinfer
