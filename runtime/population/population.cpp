#include "runtime/population/population.hpp"

#include "agents/ising/ising_block.hpp"
#include "runtime/population/population_impl.hpp"

namespace spinfer {

Partition partition_for_schedule(const WeightedGraph& graph,
                                 const std::optional<LatticeShape>& lattice,
                                 RunConfig::Schedule schedule, int ranks) {
  if (schedule_traits(schedule).single_owner) return single_owner_partition(graph.size(), ranks);
  return balanced_partition(graph.size(), ranks, lattice);
}

// The agent families: one line each.
template class Population<IsingBlock>;

}  // namespace spinfer
