// Communicator::scatter_ranges: what a resumed run uses to hand each rank its share of the
// checkpoint's per-agent sums, which rank 0 alone holds.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "mpi_testing.hpp"

namespace spinfer {

using Range = comm::Communicator::Range;

TEST_CASE("scatter: every rank gets exactly the ranges it names, in its order") {
  const auto& world = testing::world();
  const std::int64_t n = 1000;
  std::vector<std::int64_t> all;
  if (world.is_root())
    for (std::int64_t k = 0; k < n; ++k) all.push_back(k * k - 7 * k);
  // Rank r asks for two ranges out of order, one of them empty on rank 1, and overlapping the
  // other ranks' ranges: nothing ties a rank's share to its number.
  const std::int64_t r = world.rank();
  std::vector<Range> wanted{{500 + 10 * r, 20}, {r, r == 1 ? 0 : 3}};
  const auto got = world.scatter_ranges(all, n, wanted);
  REQUIRE(got.has_value());
  std::vector<std::int64_t> expected;
  for (const Range& range : wanted)
    for (std::int64_t k = range.offset; k < range.offset + range.count; ++k)
      expected.push_back(k * k - 7 * k);
  CHECK(*got == expected);

  // A rank that needs nothing gets nothing and still takes part.
  const std::vector<Range> none;
  const auto empty = world.scatter_ranges(all, n, r == 0 ? std::span<const Range>{} : none);
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
}

TEST_CASE("scatter: a wrong length on rank 0 or a range past the end is refused on every rank") {
  const auto& world = testing::world();
  std::vector<std::int64_t> all;
  if (world.is_root()) all.assign(100, 1);
  const std::vector<Range> inside{{world.rank(), 10}};
  CHECK_FALSE(world.scatter_ranges(all, 101, inside).has_value());  // rank 0 holds 100
  // Only the last rank asks past the end; every rank must hear of it, or the others would wait
  // in the scatter for ever.
  const bool last = world.rank() == world.size() - 1;
  const std::vector<Range> past{{last ? 95 : 0, 10}};
  CHECK_FALSE(world.scatter_ranges(all, 100, past).has_value());
  const std::vector<Range> negative{{last ? -1 : 0, 1}};
  CHECK_FALSE(world.scatter_ranges(all, 100, negative).has_value());
  CHECK(world.scatter_ranges(all, 100, inside).has_value());
}

}  // namespace spinfer
