#include "runtime/decomposition/ensemble_layout.hpp"

#include <algorithm>

#include "agents/core/error.hpp"

namespace spinfer {

int EnsembleLayout::group_of_system(int system) const {
  const auto it = std::upper_bound(first_system.begin(), first_system.end(), system);
  return static_cast<int>(it - first_system.begin()) - 1;
}

std::string EnsembleLayout::describe() const {
  int least = systems_in(0), most = least;
  for (int g = 1; g < groups; ++g) {
    least = std::min(least, systems_in(g));
    most = std::max(most, systems_in(g));
  }
  std::string text = std::to_string(groups) + (groups == 1 ? " group" : " groups") + " of " +
                     std::to_string(ranks_per_group) + (ranks_per_group == 1 ? " rank" : " ranks") +
                     ", " + std::to_string(least);
  if (most != least) text += "-" + std::to_string(most);
  return text + " whole systems per group" +
         (ranks_per_group > 1 ? ", each cut over the group's ranks" : "");
}

EnsembleLayout make_ensemble_layout(int ranks, int systems, int requested_groups) {
  if (ranks < 1) throw field_error("ranks", ranks, "must be >= 1");
  if (systems < 1) throw field_error("systems", systems, "must be >= 1");
  int groups = requested_groups;
  if (groups == 0) {
    groups = 1;
    for (int g = 1; g <= std::min(ranks, systems); ++g)
      if (ranks % g == 0) groups = g;
  }
  if (groups < 1) throw field_error("layout.groups", groups, "must be >= 1 (0: automatic)");
  if (ranks % groups != 0)
    throw field_error("layout.groups", groups,
                      "does not divide the " + std::to_string(ranks) + " ranks");
  if (groups > systems)
    throw field_error("layout.groups", groups,
                      "more groups than the " + std::to_string(systems) +
                          " systems (replicas x temperatures) to give them");
  EnsembleLayout layout;
  layout.groups = groups;
  layout.ranks_per_group = ranks / groups;
  layout.first_system.resize(static_cast<std::size_t>(groups) + 1);
  for (int g = 0; g <= groups; ++g)
    layout.first_system[g] = static_cast<int>(static_cast<long long>(systems) * g / groups);
  return layout;
}

}  // namespace spinfer
