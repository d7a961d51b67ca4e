#include <doctest/doctest.h>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "runtime/verify/chain_verdicts.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

TEST_CASE("pooled mean: chains averaged, errors added in quadrature") {
  std::vector<ChainSeries> chains(2);
  for (int t = 0; t < 100; ++t) {
    chains[0].magnetization.push_back(t % 2 ? 0.5 : -0.5);
    chains[1].magnetization.push_back(t % 2 ? -0.25 : 0.25);
  }
  const auto [mean, error] = pooled_mean(chains, &ChainSeries::magnetization, false);
  CHECK(mean == doctest::Approx(0));
  CHECK(error > 0);
  CHECK(pooled_mean(chains, &ChainSeries::magnetization, true).first == doctest::Approx(0.375));
}

TEST_CASE("phase masks: the free agents of each colour class, in phase order") {
  const WeightedGraph ring =
      symmetric_graph(4, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 3, 1.0}, {3, 0, 1.0}}, {0, 0, 0, 0});
  const Colouring colouring = colour_graph(ring);
  REQUIRE(colouring.colours == 2);
  const ReducedModel model = reduce_clamped(ring, {});
  const std::vector<std::uint32_t> masks = phase_masks(model, colouring);
  REQUIRE(masks.size() == 2);
  CHECK((masks[0] | masks[1]) == 0b1111u);
  CHECK((masks[0] & masks[1]) == 0u);
  CHECK(phase_masks(model, Colouring{}).empty());
}

TEST_CASE("verify_chains without an exact model judges the agreement of the chains") {
  const RunConfig config = testing::config_with({});
  std::vector<ChainSeries> chains(2);
  for (int t = 0; t < 400; ++t)
    for (auto& c : chains) {
      c.magnetization.push_back(((t * 7919) % 13) / 13.0 - 0.5);
      c.energy.push_back(((t * 104729) % 17) / 17.0 - 1.0);
    }
  const Verdicts v = verify_chains(config, chains, std::nullopt, nullptr, 0);
  CHECK(v.expected.method() == "chain_agreement");
  CHECK(v.expected.verdict() == "consistent");  // identical chains agree
  CHECK(v.references.empty());
}

}  // namespace spinfer
