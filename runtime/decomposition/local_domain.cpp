#include "runtime/decomposition/local_domain.hpp"

#include <algorithm>

namespace spinfer {

LocalDomain make_local_domain(const WeightedGraph& precisions, const Partition& partition,
                              int rank) {
  LocalDomain d;
  d.owned_first = partition.begin(rank);
  d.owned_count = partition.count(rank);
  const AgentId end = d.owned_first + d.owned_count;
  const auto owns = [&](AgentId g) { return g >= d.owned_first && g < end; };

  const std::int64_t e0 = precisions.row_offsets[d.owned_first];
  const std::int64_t e1 = precisions.row_offsets[end];
  for (std::int64_t e = e0; e < e1; ++e)
    if (!owns(precisions.columns[e])) d.ghost_ids.push_back(precisions.columns[e]);
  std::sort(d.ghost_ids.begin(), d.ghost_ids.end());
  d.ghost_ids.erase(std::unique(d.ghost_ids.begin(), d.ghost_ids.end()), d.ghost_ids.end());
  d.ghost_owners.reserve(d.ghost_ids.size());
  for (AgentId g : d.ghost_ids) d.ghost_owners.push_back(partition.owner(g));

  const auto slot_of = [&](AgentId g) -> std::int32_t {
    if (owns(g)) return static_cast<std::int32_t>(g - d.owned_first);
    const auto it = std::lower_bound(d.ghost_ids.begin(), d.ghost_ids.end(), g);
    return static_cast<std::int32_t>(d.owned_count + (it - d.ghost_ids.begin()));
  };
  WeightedGraph& local = d.precisions;
  local.row_offsets.assign(1, 0);
  local.row_offsets.reserve(d.owned_count + 1);
  for (AgentId g = d.owned_first; g < end; ++g)
    local.row_offsets.push_back(local.row_offsets.back() + precisions.degree(g));
  local.columns.reserve(e1 - e0);
  for (std::int64_t e = e0; e < e1; ++e) local.columns.push_back(slot_of(precisions.columns[e]));
  local.weights.assign(precisions.weights.begin() + e0, precisions.weights.begin() + e1);
  local.fields.assign(precisions.fields.begin() + d.owned_first, precisions.fields.begin() + end);
  return d;
}

}  // namespace spinfer
