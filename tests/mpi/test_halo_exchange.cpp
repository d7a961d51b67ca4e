// Halo exchange delivers every ghost the value its owner holds, for several chains at once and
// for the per-colour subsets the chromatic schedule uses.
#include <doctest/doctest.h>

#include "agents/core/colouring.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "comm/halo_exchange.hpp"
#include "mpi_testing.hpp"
#include "runtime/decomposition/local_domain.hpp"

namespace spinfer {
namespace {

std::int8_t value_of(AgentId g, int chain) {
  return static_cast<std::int8_t>((g * 7 + chain) % 101);
}

}  // namespace

TEST_CASE("halo: every ghost receives its owner's value, for every chain") {
  const auto& world = testing::world();
  const SpinGlass glass = edwards_anderson(2, 8, CouplingDistribution::bimodal, 0, 1, 3);
  const Partition partition =
      balanced_partition(glass.couplings.size(), world.size(), glass.lattice);
  const LocalDomain d = make_local_domain(glass.couplings, partition, world.rank());
  comm::HaloExchange halo(world, d.owned_first, d.owned_count, d.ghost_ids, d.ghost_owners);

  const int chains = 3;
  const std::int64_t stride = d.slots();
  std::vector<std::int8_t> state(static_cast<std::size_t>(chains * stride), -1);
  for (int c = 0; c < chains; ++c)
    for (std::int64_t slot = 0; slot < d.owned_count; ++slot)
      state[c * stride + slot] = value_of(d.global_id(slot), c);
  halo.exchange(state.data(), chains, stride);

  if (world.size() == 1) CHECK(d.ghost_ids.empty());
  if (world.size() > 1) CHECK(!d.ghost_ids.empty());
  int wrong = 0;
  for (int c = 0; c < chains; ++c)
    for (std::int64_t slot = d.owned_count; slot < stride; ++slot)
      wrong += state[c * stride + slot] != value_of(d.global_id(slot), c);
  CHECK(wrong == 0);
}

TEST_CASE("halo: a per-colour exchange moves that colour's ghosts and nothing else") {
  const auto& world = testing::world();
  const SpinGlass glass = edwards_anderson(2, 8, CouplingDistribution::bimodal, 0, 1, 3);
  const Colouring colouring = colour_graph(glass.couplings);
  const Partition partition =
      balanced_partition(glass.couplings.size(), world.size(), glass.lattice);
  const LocalDomain d = make_local_domain(glass.couplings, partition, world.rank());
  const comm::HaloExchange all(world, d.owned_first, d.owned_count, d.ghost_ids, d.ghost_owners);
  auto black = all.restricted(
      [&](std::int32_t slot) { return colouring.colour_of[d.global_id(slot)] == 0; });

  std::vector<std::int8_t> state(static_cast<std::size_t>(d.slots()), -1);
  for (std::int64_t slot = 0; slot < d.owned_count; ++slot)
    state[slot] = value_of(d.global_id(slot), 0);
  black.exchange(state.data(), 1, d.slots());
  int wrong = 0;
  for (std::int64_t slot = d.owned_count; slot < d.slots(); ++slot) {
    const bool is_black = colouring.colour_of[d.global_id(slot)] == 0;
    wrong += state[slot] != (is_black ? value_of(d.global_id(slot), 0) : -1);
  }
  CHECK(wrong == 0);
}

}  // namespace spinfer
