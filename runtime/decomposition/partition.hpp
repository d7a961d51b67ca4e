#pragma once
// Which rank owns which agents. Every partition here is a set of contiguous id ranges in rank
// order, so an agent's owner is found by binary search and gathered per-agent results come out
// in global order. Lattices are cut into slabs of whole planes along the slowest axis.
#include <optional>
#include <vector>

#include "agents/ising/spin_glass.hpp"

namespace spinfer {

struct Partition {
  std::vector<AgentId> first;  // ranks + 1 entries; rank r owns [first[r], first[r + 1])

  [[nodiscard]] int ranks() const { return static_cast<int>(first.size()) - 1; }
  [[nodiscard]] AgentId begin(int rank) const { return first[rank]; }
  [[nodiscard]] AgentId count(int rank) const { return first[rank + 1] - first[rank]; }
  [[nodiscard]] int owner(AgentId agent) const;
};

// Everything on rank 0 (the random-sequential reference runs there).
Partition single_owner_partition(AgentId n, int ranks);

// Balanced contiguous ranges, or lattice slabs when `lattice` is given. Throws spinfer::Error
// naming the rank count when some rank would get nothing.
Partition balanced_partition(AgentId n, int ranks, const std::optional<LatticeShape>& lattice);

}  // namespace spinfer
