#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "runtime/decomposition/local_domain.hpp"

using namespace spinfer;

namespace {

// Gaussian couplings and random fields, so that every weight and field is distinct and a
// mismatched column or row would show.
SpinGlass lattice_glass() {
  SpinGlass glass = edwards_anderson(2, 6, CouplingDistribution::gaussian, 0.0, 1.0, 11);
  add_fields(glass, 0.1, 1.0, 11);
  return glass;
}

}  // namespace

TEST_CASE("local domains of a 6x6 lattice over 3 ranks reproduce the global rows") {
  const SpinGlass glass = lattice_glass();
  const WeightedGraph& global = glass.couplings;
  const Partition partition = balanced_partition(global.size(), 3, glass.lattice);
  std::set<AgentId> owned_somewhere;

  for (int rank = 0; rank < 3; ++rank) {
    CAPTURE(rank);
    const LocalDomain d = make_local_domain(global, partition, rank);
    CHECK(d.owned_first == partition.begin(rank));
    CHECK(d.owned_count == partition.count(rank));
    CHECK(d.owned_count == 12);  // two planes of 6
    const WeightedGraph& local = d.precisions;
    REQUIRE(local.size() == d.owned_count);
    REQUIRE(static_cast<AgentId>(local.row_offsets.size()) == d.owned_count + 1);

    // Ghosts: ascending, distinct, owned elsewhere, each with its true owner.
    CHECK(std::is_sorted(d.ghost_ids.begin(), d.ghost_ids.end()));
    CHECK(std::adjacent_find(d.ghost_ids.begin(), d.ghost_ids.end()) == d.ghost_ids.end());
    REQUIRE(d.ghost_owners.size() == d.ghost_ids.size());
    for (std::size_t k = 0; k < d.ghost_ids.size(); ++k) {
      CHECK(partition.owner(d.ghost_ids[k]) != rank);
      CHECK(d.ghost_owners[k] == partition.owner(d.ghost_ids[k]));
    }
    // A slab of two planes in a periodic 6x6 lattice sees one plane on each side.
    CHECK(d.ghost_ids.size() == 12);
    CHECK(d.slots() == 24);

    int mismatches = 0;
    std::vector<bool> slot_used(static_cast<std::size_t>(d.slots()), false);
    for (AgentId row = 0; row < d.owned_count; ++row) {
      const AgentId g = d.global_id(row);
      owned_somewhere.insert(g);
      CHECK(g == d.owned_first + row);
      CHECK(local.fields[row] == global.fields[g]);
      REQUIRE(local.degree(row) == global.degree(g));
      for (AgentId k = 0; k < local.degree(row); ++k) {
        const auto le = local.row_offsets[row] + k;
        const auto ge = global.row_offsets[g] + k;
        REQUIRE(local.columns[le] >= 0);
        REQUIRE(local.columns[le] < d.slots());
        slot_used[local.columns[le]] = true;
        mismatches += d.global_id(local.columns[le]) != global.columns[ge];
        mismatches += local.weights[le] != global.weights[ge];
      }
    }
    CHECK(mismatches == 0);
    // Every ghost slot is some owned agent's neighbour (no stray ghosts).
    CHECK(
        std::all_of(slot_used.begin() + d.owned_count, slot_used.end(), [](bool b) { return b; }));
  }
  CHECK(owned_somewhere.size() == static_cast<std::size_t>(global.size()));
}

TEST_CASE("a single rank owns everything and has no ghosts") {
  const SpinGlass glass = lattice_glass();
  const WeightedGraph precisions = agents_from_spin_glass(glass, 0.5).precisions;
  const LocalDomain d =
      make_local_domain(precisions, balanced_partition(precisions.size(), 1, glass.lattice), 0);
  CHECK(d.ghost_ids.empty());
  CHECK(d.ghost_owners.empty());
  CHECK(d.precisions.row_offsets == precisions.row_offsets);
  CHECK(d.precisions.columns == precisions.columns);
  CHECK(d.precisions.weights == precisions.weights);
  CHECK(d.precisions.fields == precisions.fields);
}
