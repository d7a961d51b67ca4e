#include "runtime/decomposition/partition.hpp"

#include <algorithm>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {

int Partition::owner(AgentId agent) const {
  const auto it = std::upper_bound(first.begin(), first.end(), agent);
  return static_cast<int>(it - first.begin()) - 1;
}

Partition single_owner_partition(AgentId n, int ranks) {
  Partition p;
  p.first.assign(static_cast<std::size_t>(ranks) + 1, n);
  p.first[0] = 0;
  return p;
}

Partition balanced_partition(AgentId n, int ranks, const std::optional<LatticeShape>& lattice) {
  // Units are lattice planes (of L^(d-1) agents) or single agents.
  AgentId units = n;
  AgentId unit_size = 1;
  if (lattice) {
    units = lattice->length;
    unit_size = n / units;
  }
  if (ranks < 1) throw field_error("ranks", ranks, "must be >= 1");
  if (ranks > units)
    throw field_error("ranks", ranks,
                      "more ranks than " + std::string(lattice ? "lattice planes" : "agents") +
                          " (" + std::to_string(units) + ") to share among them");
  Partition p;
  p.first.resize(static_cast<std::size_t>(ranks) + 1);
  for (int r = 0; r <= ranks; ++r) p.first[r] = (units * r / ranks) * unit_size;
  return p;
}

}  // namespace spinfer
