#include <doctest/doctest.h>

#include "runtime/decomposition/ensemble_layout.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

TEST_CASE("ensemble layout: automatic groups give whole systems to as many ranks as possible") {
  CHECK(make_ensemble_layout(2, 64, 0).groups == 2);  // the PT benchmark: no halos
  CHECK(make_ensemble_layout(4, 2, 0).groups == 2);   // 2 systems: 2 ranks cut each
  CHECK(make_ensemble_layout(6, 4, 0).groups == 3);   // largest divisor of 6 up to 4
  CHECK(make_ensemble_layout(7, 3, 0).groups == 1);   // a prime count of ranks: one group
  const EnsembleLayout l = make_ensemble_layout(4, 10, 2);
  CHECK(l.ranks_per_group == 2);
  CHECK(l.first_system == std::vector<int>{0, 5, 10});
  CHECK(l.group_of_rank(3) == 1);
  CHECK(l.rank_in_group(3) == 1);
  CHECK(l.group_of_system(4) == 0);
  CHECK(l.group_of_system(5) == 1);
  const EnsembleLayout uneven = make_ensemble_layout(3, 7, 3);
  int total = 0;
  for (int g = 0; g < 3; ++g) {
    CHECK(uneven.systems_in(g) >= 2);
    total += uneven.systems_in(g);
  }
  CHECK(total == 7);
  CHECK(uneven.describe() == "3 groups of 1 rank, 2-3 whole systems per group");
}

TEST_CASE("ensemble layout: impossible layouts are one-line errors naming layout.groups") {
  const auto error = [](int ranks, int systems, int groups) {
    return testing::error_message([&] { make_ensemble_layout(ranks, systems, groups); });
  };
  CHECK(error(4, 8, 3) == "layout.groups = 3: does not divide the 4 ranks");
  CHECK(error(4, 2, 4) ==
        "layout.groups = 4: more groups than the 2 systems (replicas x temperatures) to give them");
  CHECK(error(4, 8, -1).find("layout.groups = -1") == 0);
}

}  // namespace spinfer
