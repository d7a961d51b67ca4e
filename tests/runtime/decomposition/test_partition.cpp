#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>

#include "agents/core/error.hpp"
#include "runtime/decomposition/partition.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

// Rank r owns [first[r], first[r + 1]): ranges start at 0, end at n, and never go backwards.
void check_covers(const Partition& p, AgentId n, int ranks) {
  REQUIRE(p.ranks() == ranks);
  CHECK(p.first.front() == 0);
  CHECK(p.first.back() == n);
  CHECK(std::is_sorted(p.first.begin(), p.first.end()));
  AgentId total = 0;
  for (int r = 0; r < ranks; ++r) total += p.count(r);
  CHECK(total == n);
}

// owner() of every agent is the rank whose range holds it.
int owner_mismatches(const Partition& p) {
  int mismatches = 0;
  for (int r = 0; r < p.ranks(); ++r)
    for (AgentId a = p.begin(r); a < p.begin(r) + p.count(r); ++a) mismatches += p.owner(a) != r;
  return mismatches;
}

}  // namespace

TEST_CASE("balanced partitions are contiguous and within one agent of each other") {
  for (AgentId n : {1, 2, 7, 12, 100, 1001}) {
    for (int ranks = 1; ranks <= std::min<AgentId>(n, 9); ++ranks) {
      CAPTURE(n);
      CAPTURE(ranks);
      const Partition p = balanced_partition(n, ranks, std::nullopt);
      check_covers(p, n, ranks);
      AgentId smallest = n, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        smallest = std::min(smallest, p.count(r));
        largest = std::max(largest, p.count(r));
      }
      CHECK(smallest >= 1);
      CHECK(largest - smallest <= 1);
      CHECK(owner_mismatches(p) == 0);
    }
  }
}

TEST_CASE("lattice partitions cut whole planes, within one plane of each other") {
  struct Case {
    int dimensions;
    AgentId length;
  };
  for (auto [dimensions, length] : {Case{2, 6}, Case{2, 7}, Case{3, 4}, Case{3, 5}}) {
    const AgentId plane = dimensions == 2 ? length : length * length;
    const AgentId n = plane * length;
    for (int ranks = 1; ranks <= length; ++ranks) {
      CAPTURE(dimensions);
      CAPTURE(length);
      CAPTURE(ranks);
      const Partition p = balanced_partition(n, ranks, LatticeShape{dimensions, length});
      check_covers(p, n, ranks);
      AgentId fewest = length, most = 0;
      for (int r = 0; r <= ranks; ++r) CHECK(p.first[r] % plane == 0);
      for (int r = 0; r < ranks; ++r) {
        fewest = std::min(fewest, p.count(r) / plane);
        most = std::max(most, p.count(r) / plane);
      }
      CHECK(fewest >= 1);
      CHECK(most - fewest <= 1);
      CHECK(owner_mismatches(p) == 0);
    }
  }
}

TEST_CASE("more ranks than planes or agents is refused, naming the rank count") {
  CHECK_THROWS_AS(balanced_partition(5, 6, std::nullopt), Error);
  const std::string agents = error_message([] { balanced_partition(5, 6, std::nullopt); });
  CHECK(agents.find("ranks") != std::string::npos);
  CHECK(agents.find("6") != std::string::npos);

  // A 2D L = 4 lattice has 16 agents but only 4 planes to share.
  const std::string planes = error_message([] { balanced_partition(16, 5, LatticeShape{2, 4}); });
  CHECK(planes.find("ranks") != std::string::npos);
  CHECK(planes.find("planes") != std::string::npos);
  CHECK_NOTHROW(balanced_partition(16, 4, LatticeShape{2, 4}));
}

TEST_CASE("single_owner_partition puts every agent on rank 0") {
  for (int ranks : {1, 2, 5}) {
    CAPTURE(ranks);
    const Partition p = single_owner_partition(10, ranks);
    check_covers(p, 10, ranks);
    CHECK(p.begin(0) == 0);
    CHECK(p.count(0) == 10);
    for (int r = 1; r < ranks; ++r) CHECK(p.count(r) == 0);
    for (AgentId a = 0; a < 10; ++a) CHECK(p.owner(a) == 0);
  }
}
