#pragma once
// How the ranks of an ensemble run share its R x T systems. The ranks form `groups` consecutive
// blocks of equal size (MPI sub-communicators); group g holds the systems
// [first_system[g], first_system[g + 1]) whole, and cuts each of them over its own ranks exactly
// as a single-system run on that many ranks would (lattice slabs, contiguous blocks). Every group
// has the same number of ranks, so rank r of every group owns the same agents.
#include <string>
#include <vector>

namespace spinfer {

struct EnsembleLayout {
  int groups = 1;
  int ranks_per_group = 1;
  std::vector<int> first_system;  // groups + 1 entries

  [[nodiscard]] int systems() const { return first_system.back(); }
  [[nodiscard]] int group_of_rank(int rank) const { return rank / ranks_per_group; }
  [[nodiscard]] int rank_in_group(int rank) const { return rank % ranks_per_group; }
  [[nodiscard]] int group_of_system(int system) const;
  [[nodiscard]] int systems_in(int group) const {
    return first_system[group + 1] - first_system[group];
  }
  [[nodiscard]] std::string describe() const;
};

// `requested_groups` 0 picks the largest divisor of `ranks` that is at most `systems`: whole
// systems per rank when there are enough of them (no halo traffic at all), domain decomposition
// only for the ranks left over. Throws spinfer::Error naming layout.groups when the request does
// not divide the ranks or exceeds the systems.
EnsembleLayout make_ensemble_layout(int ranks, int systems, int requested_groups);

}  // namespace spinfer
